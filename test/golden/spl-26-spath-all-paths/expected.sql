ERROR RB401 12:5 sql cannot express stage.extract
ERROR RB401 14:5 sql cannot express stage.spath
