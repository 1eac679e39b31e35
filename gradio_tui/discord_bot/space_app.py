"""``app.py`` of a bot Space made by ``deploy_discord``.

Configuration comes only from the Space's secrets: DISCORD_TOKEN (the bot
token), GRADIO_APP (the upstream Space id or URL), GRADIO_API_NAME,
DISCORD_COMMAND and, for a private upstream, HF_TOKEN. Without a bot token
the page explains how to add one.
"""

from __future__ import annotations

import asyncio
import os
import threading

import gradio as gr

from gradio_tui.discord_bot.bot import make_bot
from gradio_tui.discord_bot.bridge import ChatBridge

UPSTREAM = os.environ.get("GRADIO_APP", "")
API_NAME = os.environ.get("GRADIO_API_NAME", "/chat")
COMMAND = os.environ.get("DISCORD_COMMAND", "chat")
HAS_TOKEN = bool(os.environ.get("DISCORD_TOKEN"))


def _run_bot() -> None:
    bridge = ChatBridge(UPSTREAM, API_NAME, os.environ.get("HF_TOKEN") or None)
    bot = make_bot(bridge, COMMAND)
    asyncio.run(bot.start(os.environ["DISCORD_TOKEN"]))


if HAS_TOKEN and UPSTREAM:
    threading.Thread(target=_run_bot, daemon=True, name="discord-bot").start()
    STATUS = f"The bot is running: use `/{COMMAND}` in your Discord server to talk to `{UPSTREAM}`."
else:
    STATUS = (
        "This bot has no `DISCORD_TOKEN` secret yet. Create a bot at "
        "https://discord.com/developers/applications (Bot → Reset Token), add the token "
        "as the `DISCORD_TOKEN` secret in this Space's settings, and restart the Space."
    )

with gr.Blocks(title="Gradio Discord bot") as demo:
    gr.Markdown(f"# Discord bot for `{UPSTREAM or 'an app'}`\n\n{STATUS}")

demo.launch()
