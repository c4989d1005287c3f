"""The demo: a sample 廣場夜話 with simulated phones over real socket.io, run from the console."""
