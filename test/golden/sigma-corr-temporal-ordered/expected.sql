ERROR RB401 7:11 sql cannot express query.inputs
ERROR RB401 5:11 sql cannot express stage.sequence
