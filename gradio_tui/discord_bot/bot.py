"""The discord.py side: a slash command that opens a thread per conversation."""

from __future__ import annotations

from typing import Any

from .bridge import ChatBridge


def make_bot(bridge: ChatBridge, command: str) -> Any:
    """A discord.py bot answering ``/<command> <prompt>`` and follow-ups in its thread."""
    import discord
    from discord.ext import commands

    intents = discord.Intents.default()
    intents.message_content = True
    bot = commands.Bot(command_prefix="!", intents=intents)
    threads: set[int] = set()

    @bot.event  # type: ignore[untyped-decorator]
    async def on_ready() -> None:
        await bot.tree.sync()

    @bot.hybrid_command(name=command, description="Talk to the Gradio app")  # type: ignore[untyped-decorator]
    async def chat(ctx: Any, *, prompt: str) -> None:
        message = await ctx.send(f"**{ctx.author.display_name}**: {prompt}")
        thread = await message.create_thread(name=prompt[:90] or "chat")
        threads.add(thread.id)
        async with thread.typing():
            await thread.send(await bridge.reply(str(thread.id), prompt))

    @bot.event  # type: ignore[untyped-decorator]
    async def on_message(message: Any) -> None:
        if message.author == bot.user:
            return
        if getattr(message.channel, "id", None) in threads:
            async with message.channel.typing():
                await message.channel.send(
                    await bridge.reply(str(message.channel.id), message.content)
                )
        await bot.process_commands(message)

    return bot
