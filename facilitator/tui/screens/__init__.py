"""The console's screens: lobby, main view, closing, and the dialogs they open."""
