"""The Hub dialogs' forms, checked: what the user typed in, what gets sent out.

UI-free, so the rules are tested without a screen and the same checks can
serve a command line: a form (the fields as typed) goes through
``check_duplicate`` / ``check_discord`` and comes back as a request (exactly
what the worker sends) or as one message per bad field, keyed by the field's
id in the dialog. Secrets and tokens stay out of every ``repr``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .space_ids import check_target_id, validate_space_id

SECRET_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""Secrets become environment variables in the Space, so their names must be valid ones."""
DEFAULT_SLEEP_MINUTES = 5


@dataclass(frozen=True)
class DuplicateResult:
    """What "Connect" hands back: the copy to connect to and the token that reaches it."""

    space_id: str
    hf_token: str = field(repr=False)


@dataclass(frozen=True)
class DuplicateRequest:
    """A checked form: exactly what the worker sends (secrets and token out of repr)."""

    from_id: str
    to_id: str | None
    private: bool
    hardware: str | None
    secrets: dict[str, str] = field(repr=False)
    sleep_timeout: int = DEFAULT_SLEEP_MINUTES
    hf_token: str | None = field(default=None, repr=False)


@dataclass
class DuplicateForm:
    """The dialog's fields as typed, before any checking."""

    from_id: str
    to_id: str = ""
    private: bool = True
    hardware: str | None = None
    secrets: list[tuple[str, str]] = field(default_factory=list, repr=False)
    sleep_timeout: str = str(DEFAULT_SLEEP_MINUTES)
    hf_token: str = field(default="", repr=False)


def check_duplicate(
    form: DuplicateForm, hardware_names: list[str] | None
) -> tuple[DuplicateRequest | None, dict[str, str]]:
    """The request the form describes, or the message for each bad field.

    ``hardware_names`` is the Hub's live list (None while it is not loaded).
    """
    errors: dict[str, str] = {}
    from_id = form.from_id.strip()
    if not from_id:
        errors["from-id"] = "Type the Space to copy, as owner/name."
    else:
        try:
            validate_space_id(from_id, "The Space to copy")
        except ValueError as exc:
            errors["from-id"] = str(exc)
    to_id = form.to_id.strip()
    problem = check_target_id(to_id, "The copy")
    if problem:
        errors["to-id"] = problem
    elif to_id and to_id == from_id:
        errors["to-id"] = "That is the Space being copied: choose another name."
    if form.hardware is not None:
        if hardware_names is None:
            errors["hardware"] = (
                "The Hub's hardware list is not loaded, so this choice cannot be checked: "
                "keep the source's hardware, or fix the token and try again."
            )
        elif form.hardware not in hardware_names:
            errors["hardware"] = (
                f"Unknown hardware {form.hardware!r}; the Hub offers: {', '.join(hardware_names)}."
            )
    secrets: dict[str, str] = {}
    secret_errors: list[str] = []
    for key, value in form.secrets:
        key = key.strip()
        if not key and not value:
            continue  # an empty row is just unused
        if not key:
            secret_errors.append("A secret has a value but no name.")
        elif not SECRET_KEY.match(key):
            secret_errors.append(
                f"{key!r} cannot be a secret name: letters, digits and '_', not starting "
                "with a digit (it becomes an environment variable)."
            )
        elif key in secrets:
            secret_errors.append(f"{key} is given twice.")
        elif not value:
            secret_errors.append(f"{key} has no value.")
        else:
            secrets[key] = value
    if secret_errors:
        errors["secrets"] = " ".join(secret_errors)
    sleep_text = form.sleep_timeout.strip()
    sleep = 0
    try:
        sleep = int(sleep_text)
    except ValueError:
        pass
    if sleep < 1:
        errors["sleep"] = (
            f"Sleep after is in minutes: a whole number of at least 1, not {sleep_text!r}."
        )
    if errors:
        return None, errors
    return (
        DuplicateRequest(
            from_id=from_id,
            to_id=to_id or None,
            private=form.private,
            hardware=form.hardware,
            secrets=secrets,
            sleep_timeout=sleep,
            hf_token=form.hf_token.strip() or None,
        ),
        {},
    )


@dataclass(frozen=True)
class DiscordRequest:
    """A checked form: what the worker deploys (tokens out of repr)."""

    api_name: str
    to_id: str | None
    private: bool
    bot_token: str | None = field(default=None, repr=False)
    hf_token: str | None = field(default=None, repr=False)


@dataclass
class DiscordForm:
    """The dialog's fields as typed, before any checking."""

    api_name: str
    to_id: str = ""
    private: bool = False
    bot_token: str = field(default="", repr=False)
    hf_token: str = field(default="", repr=False)


def no_chat_text() -> str:
    return (
        "This app has no chat endpoint (a ChatInterface, or an endpoint named /chat), "
        "and a Discord bot needs one. If one of its endpoints takes a message and "
        "returns a reply, type its name."
    )


def check_discord(
    form: DiscordForm, endpoint_names: list[str], chat: str | None
) -> tuple[DiscordRequest | None, dict[str, str]]:
    """The deploy the form describes, or the message for each bad field.

    ``endpoint_names`` are the app's named endpoints; ``chat`` its chat endpoint.
    """
    errors: dict[str, str] = {}
    bot = form.bot_token.strip()
    if bot and any(c.isspace() for c in bot):
        errors["bot-token"] = "A Discord bot token has no spaces: paste it again."
    api = form.api_name.strip()
    if not api:
        errors["api-name"] = (
            no_chat_text() if chat is None else f"Type the endpoint to chat with ({chat})."
        )
    else:
        api = "/" + api.lstrip("/")
        if api not in endpoint_names:
            shown = ", ".join(endpoint_names) or "none"
            errors["api-name"] = f"This app has no endpoint {api}; its endpoints: {shown}."
    problem = check_target_id(form.to_id, "The bot Space")
    if problem:
        errors["target"] = problem
    if errors:
        return None, errors
    return (
        DiscordRequest(
            api_name=api,
            to_id=form.to_id.strip() or None,
            private=form.private,
            bot_token=bot or None,
            hf_token=form.hf_token.strip() or None,
        ),
        {},
    )


__all__ = [
    "DEFAULT_SLEEP_MINUTES",
    "SECRET_KEY",
    "DiscordForm",
    "DiscordRequest",
    "DuplicateForm",
    "DuplicateRequest",
    "DuplicateResult",
    "check_discord",
    "check_duplicate",
    "no_chat_text",
]
