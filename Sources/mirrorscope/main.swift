print("mirrorscope")
