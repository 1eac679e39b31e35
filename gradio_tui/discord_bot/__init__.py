"""The Discord bot that ``deploy_discord`` ships into a Space.

``bridge`` holds the logic (one upstream session per Discord thread, replies
cut to Discord's limit) and is tested without Discord; ``bot`` is the thin
discord.py glue; ``space_app`` is the Space's ``app.py``.
"""
