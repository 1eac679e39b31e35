"""``deploy_discord``: run a chat app as a Discord bot from a new Space.

The bot is this project's own code (``gradio_tui/discord_bot``), shipped
into the Space with a copy of our client, so the Space talks to the upstream
app through the same client this package is. The bot token and the upstream
app are set as Space *secrets*: the token is never written to a file, a
commit, or any output.
"""

from __future__ import annotations

import secrets as _secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .hub import HubSession, Progress, hub_call, hub_error, space_url

if TYPE_CHECKING:
    from .core import AsyncClient

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # gradio_tui/
BOT_REQUIREMENTS = (
    "discord.py>=2.3,<3\n"
    "httpx>=0.27\n"
    "httpx-sse>=0.4\n"
    "websockets>=13\n"
    "huggingface_hub>=0.26\n"
    "packaging>=23\n"
)
NO_TOKEN_HELP = (
    "No Discord bot token given, so the bot Space will show how to add one. To get a "
    "token: open https://discord.com/developers/applications, create an application, "
    "open its Bot page, press 'Reset Token' and copy it; then add it to the Space as the "
    "secret DISCORD_TOKEN (Space settings → Variables and secrets), or run "
    "deploy_discord again with discord_bot_token=."
)


@dataclass
class DiscordPlan:
    """What will be deployed, checked before anything changes on the Hub."""

    target: str
    upstream: str
    api_name: str
    command: str
    private: bool


def reachability_warning(client: AsyncClient) -> str | None:
    """Why a bot Space may not reach this app, or None for a Space (which it always can).

    The bot runs on the Hub's servers and calls the app at its address from there:
    a local or private address (127.0.0.1, a LAN IP, ``localhost``) is out of reach,
    and any other URL must be public.
    """
    if client.space_id:
        return None
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(client.src).hostname or ""
    local = host in ("localhost", "") or host.endswith((".local", ".localhost", ".internal"))
    try:
        address = ipaddress.ip_address(host)
        local = local or address.is_private or address.is_loopback or address.is_link_local
    except ValueError:
        pass
    if local:
        return (
            f"This app runs at {client.src}, a local address, not in a Space: the bot runs "
            "on the Hub's servers, which cannot reach it, so it would answer every message "
            "with an error. Deploy the app as a Space first (or duplicate one with F9), "
            "then deploy that Space as a bot."
        )
    return (
        f"This app is not a Space ({client.src}): the bot, running on the Hub's servers, "
        "will call that address, so it must be public and stay up."
    )


def chat_endpoint(client: AsyncClient) -> str | None:
    """The chat endpoint of an app: ``/chat`` (≤5.x ChatInterface) or a 6.x
    ChatInterface's single endpoint."""
    names: list[str] = [e.api_name for e in client.endpoints if e.api_name and e.documented]
    if "/chat" in names:
        return "/chat"
    if client.config.mode == "chat_interface" and len(names) == 1:
        return names[0]
    return None


def plan_deploy(
    client: AsyncClient,
    hub: HubSession,
    api_names: list[str | tuple[str, str]] | None,
    to_id: str | None,
    private: bool,
) -> DiscordPlan:
    if api_names is None:
        found = chat_endpoint(client)
        if found is None:
            raise ValueError(
                "deploy_discord works with chat apps (a ChatInterface, or an endpoint named "
                "/chat); this app has neither. Pass api_names=['/your_chat_endpoint'] if one "
                "of its endpoints takes a message and returns a reply."
            )
        entries: list[str | tuple[str, str]] = [found]
    else:
        if not isinstance(api_names, list) or len(api_names) != 1:
            raise ValueError("Currently only one api_name can be deployed to discord.")
        entries = api_names
    entry = entries[0]
    if isinstance(entry, tuple | list) and len(entry) == 2:
        api_name, command = str(entry[0]), str(entry[1])
    elif isinstance(entry, str):
        api_name, command = entry, entry
    else:
        raise ValueError(f"api_names entries must be 'name' or ('name', 'command'), not {entry!r}.")
    api_name = "/" + api_name.lstrip("/")
    command = command.lstrip("/").replace("_", "-").lower() or "chat"
    endpoint = client.endpoint(api_name=api_name)  # raises with the available names
    if len([p for p in endpoint.parameters if not p.has_default]) > 1:
        raise ValueError(f"{api_name} needs more than one value; a Discord bot sends one message.")
    upstream = client.space_id or client.src
    default_name = f"gradio-discord-bot-{_secrets.token_hex(4)}"
    target = hub.full_id(to_id, default_name)
    return DiscordPlan(target, upstream, api_name, command, private)


def bot_files() -> dict[str, bytes]:
    """The files of the bot Space: the bot app and a copy of our client package."""
    files: dict[str, bytes] = {
        "app.py": (PACKAGE_ROOT / "discord_bot" / "space_app.py").read_bytes(),
        "requirements.txt": BOT_REQUIREMENTS.encode(),
        "README.md": (PACKAGE_ROOT / "discord_bot" / "SPACE_README.md").read_bytes(),
    }
    for sub in ("client", "discord_bot"):
        for path in sorted((PACKAGE_ROOT / sub).rglob("*.py")):
            rel = path.relative_to(PACKAGE_ROOT.parent).as_posix()
            files[rel] = path.read_bytes()
    files["gradio_tui/__init__.py"] = (PACKAGE_ROOT / "__init__.py").read_bytes()
    return files


def deploy(
    client: AsyncClient,
    discord_bot_token: str | None = None,
    api_names: list[str | tuple[str, str]] | None = None,
    to_id: str | None = None,
    hf_token: str | None = None,
    private: bool = False,
    *,
    say: Progress = lambda _msg: None,
) -> str:
    """Create (or update) the bot Space; its URL."""
    if discord_bot_token is not None and (
        not isinstance(discord_bot_token, str) or not discord_bot_token.strip()
    ):
        raise ValueError("discord_bot_token must be a non-empty string (or None).")
    hub = HubSession.open(hf_token)
    plan = plan_deploy(client, hub, api_names, to_id, private)
    upstream_private = False
    if client.space_id:
        try:
            upstream_private = bool(getattr(hub.api.space_info(client.space_id), "private", False))
        except Exception:
            upstream_private = False
    if upstream_private and hf_token is None:
        raise ValueError(
            f"Since {client.space_id} is private, you must explicitly pass in hf_token so that "
            "it can be added as a secret in the discord bot space."
        )
    api, token, target = hub.api, hub.token, plan.target
    say(f"Creating the bot Space {target}...")
    hub_call(
        lambda: api.create_repo(
            target,
            repo_type="space",
            space_sdk="gradio",
            private=private,
            exist_ok=True,
            token=token,
        ),
        f"Creating the Space {target}",
    )
    from huggingface_hub import CommitOperationAdd

    operations = [
        CommitOperationAdd(path_in_repo=path, path_or_fileobj=data)
        for path, data in bot_files().items()
    ]
    hub_call(
        lambda: api.create_commit(
            target,
            operations,
            commit_message="Deploy Discord Bot",
            repo_type="space",
            token=token,
        ),
        f"Uploading the bot to {target}",
    )
    secrets: dict[str, str] = {
        "GRADIO_APP": plan.upstream,
        "GRADIO_API_NAME": plan.api_name,
        "DISCORD_COMMAND": plan.command,
    }
    if discord_bot_token:
        secrets["DISCORD_TOKEN"] = discord_bot_token.strip()
    if upstream_private and hf_token:
        secrets["HF_TOKEN"] = hf_token
    for key, value in secrets.items():
        try:
            api.add_space_secret(target, key, value, token=token)
        except Exception as exc:
            raise hub_error(exc, f"Setting the secret {key} on {target}") from exc
    if not discord_bot_token:
        say(NO_TOKEN_HELP)
    url = space_url(target)
    say(f"See your discord bot here! {url}")
    return url
