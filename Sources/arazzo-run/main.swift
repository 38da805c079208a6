print("arazzo-run")
