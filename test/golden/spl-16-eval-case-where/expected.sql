ERROR RB401 12:20 sql cannot express fn.like
