ERROR RB401 5:11 sql cannot express stage.sequence
