"""The moderator's console (Textual): it observes the hub's snapshots and sends commands.

``facilitator.tui.app.ConsoleApp(hub, session_id, join_url, lang)`` runs one session. The console
never imports the server: ``facilitator run`` starts both in one asyncio loop.
"""
