"""What a subscriber's link carries: its REMB, and what the loss its receiver reports tell.

A subscriber's REMB comes from delays; a link that drops packets without queueing them first
(a policer, a busy Wi-Fi) shows up only as loss. Its receiver reports say what fraction of the
packets since the last report never arrived. :class:`LossBasedCap` follows the loss-based half
of Google congestion control (draft-ietf-rmcat-gcc-02, section 6): over 10 % loss the link is
taken to carry the rate we sent times (1 - loss / 2); under 2 % the cap rises by 8 % a report
until it no longer limits anything; in between it holds. :class:`SubscriberEstimate` is the
lower of the two, so a browser subscriber that sends no REMB still has an estimate once it
loses packets.
"""

from __future__ import annotations

HIGH_LOSS = 0.10
LOW_LOSS = 0.02
RISE = 1.08
MIN_CAP = 50_000  # bits/s: below this a subscriber gets the smallest layer anyway
RELEASE = 2.0  # a cap this far above what we send limits nothing and is dropped
MIN_REPORT_GAP = 0.2  # seconds; reports come about one a second, a closer one is a repeat


class LossBasedCap:
    """The loss-based bandwidth cap of one subscriber's stream (None: loss limits nothing)."""

    def __init__(self) -> None:
        self.cap: int | None = None

    def on_report(self, fraction_lost: int, sent_bps: int) -> int | None:
        """A receiver report: ``fraction_lost`` as the report carries it (0-255, the share
        of 256 lost since the last one), ``sent_bps`` what we sent it meanwhile."""
        loss = fraction_lost / 256
        if loss > HIGH_LOSS:
            self.cap = max(MIN_CAP, int(sent_bps * (1 - loss / 2)))
        elif loss < LOW_LOSS and self.cap is not None:
            self.cap = int(self.cap * RISE)
            if self.cap > RELEASE * max(sent_bps, MIN_CAP):
                self.cap = None
        return self.cap


class SubscriberEstimate:
    """One subscriber's downlink estimate: its REMB, capped by the loss it reports."""

    def __init__(self) -> None:
        self._remb: int | None = None
        self._loss = LossBasedCap()
        self._last_report: tuple[int, float] | None = None  # (octets sent, when)

    @property
    def value(self) -> int | None:
        known = [v for v in (self._remb, self._loss.cap) if v is not None]
        return min(known) if known else None

    def on_remb(self, bitrate: int) -> int | None:
        self._remb = bitrate
        return self.value

    def on_receiver_report(self, fraction_lost: int, octets_sent: int, now: float) -> int | None:
        """A report block about our stream; ``octets_sent`` is what we had sent it by now."""
        last, self._last_report = self._last_report, (octets_sent, now)
        if last is None or now - last[1] < MIN_REPORT_GAP:
            return self.value
        sent_bps = int((octets_sent - last[0]) * 8 / (now - last[1]))
        self._loss.on_report(fraction_lost, sent_bps)
        return self.value
