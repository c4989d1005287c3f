"""The console's panels: each renders one part of a :class:`~facilitator.tui.view.View`."""
