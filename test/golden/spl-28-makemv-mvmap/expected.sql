ERROR RB401 12:5 sql cannot express stage.extract
ERROR RB401 13:5 sql cannot express fn.split
ERROR RB401 13:5 sql cannot express fn.mvfilter
ERROR RB401 15:16 sql cannot express fn.mvappend
ERROR RB401 16:21 sql cannot express fn.mvmap
ERROR RB401 16:45 sql cannot express fn.mvfind
