ERROR RB401 12:5 sql cannot express stage.iplocation
