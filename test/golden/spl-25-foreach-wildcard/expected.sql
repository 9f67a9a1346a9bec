ERROR RB401 14:5 sql cannot express stage.foreach
