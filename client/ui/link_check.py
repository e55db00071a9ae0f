"""A meeting link as typed or pasted: checked by the link parser, what is wrong said in the
user's language (the parser's sentences are English; they are translated here, at the edge)."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject

from client.protocol.link import LinkError, parse_link


class LinkCheck(QObject):
    """``problem(text)``: "" for a usable link, else one sentence naming what is wrong."""

    def problem(self, text: str) -> str:
        try:
            parse_link(text)
        except LinkError as exc:
            return self.sentence(str(exc))
        return ""

    def sentence(self, message: str) -> str:
        """The parser's English ``message`` as a sentence in the user's language."""
        for pattern, sentence in self._sentences():
            match = re.fullmatch(pattern, message)
            if match is not None:
                for index, value in enumerate(match.groups(), start=1):
                    sentence = sentence.replace(f"%{index}", value)
                return sentence
        return self.tr("This link cannot be used: %1").replace("%1", message)

    def _sentences(self) -> list[tuple[str, str]]:
        return [
            (
                r"unknown link scheme .*; expected runde:// or https://",
                self.tr("A meeting link begins with https:// or runde://."),
            ),
            (
                r"the link contains spaces, line breaks or control characters",
                self.tr("The link contains spaces or line breaks: copy it again as a whole."),
            ),
            (
                r"the link contains characters outside ASCII",
                self.tr(
                    "The link contains characters that do not occur in links, such as umlauts."
                ),
            ),
            (r"the link is not valid UTF-8 text", self.tr("The link is not readable text.")),
            (
                r"the link is longer than (\d+) characters",
                self.tr("The link is longer than %1 characters."),
            ),
            (r"the link is not a valid URL \((.*)\)", self.tr("This is not a valid address (%1).")),
            (
                r"the link must not contain a user name or password",
                self.tr("The link must not contain a user name or password."),
            ),
            (r"the link names no host", self.tr("The link names no server.")),
            (
                r"the host (.*) is not a valid host name or IP address",
                self.tr("%1 is not a valid server name or IP address."),
            ),
            (
                r"the link names no port",
                self.tr("The link has no port number (such as :8443 after the server name)."),
            ),
            (r"the link's port 0 is not a valid port", self.tr("Port 0 is not a valid port.")),
            (
                r"the link must not contain a query \('\?\.\.\.'\)",
                self.tr("The link must not contain a query (“?…”)."),
            ),
            (
                r"the link's path must be (.*)ROOM",
                self.tr("After the server, the link must go on with %1 and the meeting room."),
            ),
            (
                r"the link names no valid meeting room",
                self.tr("The link names no valid meeting room."),
            ),
            (
                r"the link has no meeting secret and fingerprint after '#'",
                self.tr(
                    "The link is incomplete: the part after “#” with the meeting's key is missing."
                ),
            ),
            (
                r"the part (.*) after '#' is not of the form key=value",
                self.tr("After “#”, %1 is not of the form key=value."),
            ),
            (
                r"the key (.*) appears twice after '#'",
                self.tr("The key %1 appears twice after “#”."),
            ),
            (
                r"unknown key (.*) after '#'; expected k, fp and m",
                self.tr("After “#”, %1 is not a known key (k, fp and m are)."),
            ),
            (
                r"the link has no meeting secret \(k=\)",
                self.tr("The link has no meeting key (k=)."),
            ),
            (
                r"the meeting secret \(k=\) is malformed or too short to be safe",
                self.tr("The meeting key (k=) is damaged or too short to be safe."),
            ),
            (
                r"the link has no certificate fingerprint \(fp=\)",
                self.tr("The link has no certificate fingerprint (fp=)."),
            ),
            (
                r"the certificate fingerprint \(fp=\) is not a SHA-256 fingerprint",
                self.tr("The certificate fingerprint (fp=) is damaged or incomplete."),
            ),
            (
                r"the moderator secret \(m=\) is malformed or too short to be safe",
                self.tr("The moderator key (m=) is damaged or too short to be safe."),
            ),
        ]
