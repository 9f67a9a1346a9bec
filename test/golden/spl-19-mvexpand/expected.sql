ERROR RB401 12:14 sql cannot express fn.split
ERROR RB401 13:5 sql cannot express stage.mvexpand
