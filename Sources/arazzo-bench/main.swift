print("arazzo-bench")
