ERROR RB401 10:11 sql cannot express query.inputs
