"""Turning signaling frames into typed messages and back, with errors that name the problem."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from client.protocol.messages import (
    CLIENT_NAMESPACES,
    ClientMessage,
    CoreNotice,
    ErrorCode,
    MediaNotice,
    ServerMessage,
)

_client_adapter: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
_server_adapter: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


class ProtocolError(Exception):
    """A frame that is not a valid message; ``code`` and ``text`` go back to the sender."""

    def __init__(self, code: ErrorCode, text: str, transaction_id: str | None = None) -> None:
        super().__init__(text)
        self.code = code
        self.text = text
        self.transaction_id = transaction_id


def _describe(exc: ValidationError) -> str:
    # Only field locations and pydantic's message: never echo the (possibly secret) input.
    parts = []
    for err in exc.errors(include_url=False, include_input=False)[:3]:
        location = ".".join(str(p) for p in err["loc"]) or "message"
        parts.append(f"{location}: {err['msg']}")
    return "; ".join(parts)


def _transaction_of(raw: dict[str, Any]) -> str | None:
    value = raw.get("transaction_id")
    return value if isinstance(value, str) and len(value) <= 64 else None


def parse_client_message(frame: str | bytes) -> ClientMessage:
    """Parse one frame from a client, raising :class:`ProtocolError` with a useful text."""
    try:
        raw = json.loads(frame)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(ErrorCode.INVALID_JSON, "the message is not valid JSON") from exc
    if not isinstance(raw, dict):
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, "the message must be a JSON object")
    transaction_id = _transaction_of(raw)
    namespace = raw.get("namespace")
    if not isinstance(namespace, str) or namespace not in CLIENT_NAMESPACES:
        shown = namespace if isinstance(namespace, str) and len(namespace) <= 32 else "?"
        raise ProtocolError(
            ErrorCode.UNKNOWN_NAMESPACE,
            f"unknown namespace {shown!r}; expected one of {sorted(CLIENT_NAMESPACES)}",
            transaction_id,
        )
    payload = raw.get("payload")
    if isinstance(payload, dict) and "action" in payload:
        action = payload["action"]
        known = _KNOWN_ACTIONS[namespace]
        if action not in known:
            shown = action if isinstance(action, str) and len(action) <= 32 else "?"
            raise ProtocolError(
                ErrorCode.UNKNOWN_ACTION,
                f"unknown action {shown!r} in namespace {namespace!r}; expected one of {known}",
                transaction_id,
            )
    try:
        return _client_adapter.validate_python(raw)
    except ValidationError as exc:
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, _describe(exc), transaction_id) from exc


def _actions_of(model: type[Any]) -> list[str]:
    schema = model.model_json_schema()
    return sorted(
        definition["properties"]["action"]["const"]
        for definition in schema.get("$defs", {}).values()
        if "action" in definition.get("properties", {})
    )


_KNOWN_ACTIONS = {name: _actions_of(model) for name, model in CLIENT_NAMESPACES.items()}


def parse_server_message(frame: str | bytes) -> ServerMessage:
    """Parse one frame from the server; a broken server gets a :class:`ProtocolError` too."""
    try:
        return _server_adapter.validate_json(frame)
    except ValidationError as exc:
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, _describe(exc)) from exc


def encode(message: CoreNotice | MediaNotice | Any) -> str:
    """Serialise any envelope model to one JSON frame."""
    text: str = message.model_dump_json(exclude_none=True)
    return text
