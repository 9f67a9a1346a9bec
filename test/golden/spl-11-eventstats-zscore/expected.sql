ERROR RB401 13:5 sql cannot express agg.stdev
