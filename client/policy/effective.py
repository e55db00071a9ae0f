"""The policy in force: what Runde may do, and the sentence to show when it may not."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from client.netconfig import IceServerSetting, NetworkSettings
from client.policy.document import PolicyDocument


@dataclass(frozen=True)
class LockedSettings:
    """User settings the administrator fixed; None leaves the setting to the user."""

    camera_on: bool | None = None
    microphone_on: bool | None = None
    language: str | None = None
    # True: the display name is the operating system account's full name and cannot be edited.
    name_from_account: bool = False
    # the background effect (as client.media.background.choice writes it), always on
    background: str | None = None


@dataclass(frozen=True)
class Policy:
    """``problem`` set means the policy could not be used: everything is as restrictive as can be.

    ``allowed_link_hosts`` None allows links to any host; an empty tuple allows none.
    """

    source: str = ""
    problem: str | None = None
    default_server: str | None = None
    allowed_link_hosts: tuple[str, ...] | None = None
    joining_allowed: bool = True
    hosting_allowed: bool = True
    screen_sharing_allowed: bool = True
    own_background_pictures_allowed: bool = True
    ice_servers: tuple[IceServerSetting, ...] = ()
    proxy: str | None = None
    locked: LockedSettings = field(default_factory=LockedSettings)

    @classmethod
    def unrestricted(cls) -> Policy:
        return cls()

    @classmethod
    def from_document(cls, document: PolicyDocument, source: str) -> Policy:
        ice = tuple(
            IceServerSetting(
                url=url,
                username=document.turn_username if url.startswith("turn") else None,
                credential=document.turn_credential if url.startswith("turn") else None,
            )
            for url in document.ice_servers
        )
        hosts = document.allowed_link_hosts
        if hosts is not None and document.default_server and document.default_server not in hosts:
            hosts = [*hosts, document.default_server]
        return cls(
            source=source,
            default_server=document.default_server,
            allowed_link_hosts=tuple(hosts) if hosts is not None else None,
            hosting_allowed=document.hosting_allowed,
            screen_sharing_allowed=document.screen_sharing_allowed,
            own_background_pictures_allowed=document.own_background_pictures_allowed,
            ice_servers=ice,
            proxy=document.proxy,
            locked=LockedSettings(
                camera_on=document.camera_on_at_join,
                microphone_on=document.microphone_on_at_join,
                language=document.language,
                name_from_account=document.display_name_source == "account",
                background=document.background_effect,
            ),
        )

    @classmethod
    def failed(cls, source: str, problem: str) -> Policy:
        """A policy that cannot be read unlocks nothing: no joining, no hosting, no sharing,
        camera and microphone locked off."""
        return cls(
            source=source,
            problem=problem,
            allowed_link_hosts=(),
            joining_allowed=False,
            hosting_allowed=False,
            screen_sharing_allowed=False,
            locked=LockedSettings(camera_on=False, microphone_on=False),
        )

    # ---- sentences (English; the desktop UI words its own, translated ones) -----------

    @property
    def problem_sentence(self) -> str | None:
        if self.problem is None:
            return None
        return (
            f"the administrator policy in {self.source} cannot be used: {self.problem}. "
            "Until it is fixed, Runde neither joins nor hosts meetings"
        )

    def hosting_refusal(self) -> str | None:
        if self.problem is not None:
            return self.problem_sentence
        if not self.hosting_allowed:
            return f"your administrator has turned off hosting meetings (policy: {self.source})"
        return None

    def screen_sharing_refusal(self) -> str | None:
        if self.problem is not None:
            return self.problem_sentence
        if not self.screen_sharing_allowed:
            return f"your administrator has turned off screen sharing (policy: {self.source})"
        return None

    def background_refusal(self, choice: str) -> str | None:
        """Why the background effect written ``choice`` may not be used, or None."""
        if self.problem is not None:
            return self.problem_sentence
        required = self.locked.background
        if required is not None and choice != required:
            return (
                f"your administrator requires the background effect '{required}' "
                f"(policy: {self.source}); '{choice.removeprefix('file:')}' is not allowed"
            )
        if not self.own_background_pictures_allowed and choice.startswith("file:"):
            return (
                "your administrator does not allow your own background pictures "
                f"(policy: {self.source}); blur and the pictures shipped with Runde remain"
            )
        return None

    def link_refusal(self, host: str) -> str | None:
        """Why a link to ``host`` may not be joined, or None when it may."""
        if self.problem is not None:
            return self.problem_sentence
        if self.host_allowed(host):
            return None
        allowed = ", ".join(self.allowed_link_hosts or ())
        return (
            f"your administrator allows meeting links only to {allowed or 'no host'}; "
            f"this link goes to {host}"
        )

    def host_allowed(self, host: str) -> bool:
        if not self.joining_allowed:
            return False
        if self.allowed_link_hosts is None:
            return True
        name = host.lower().strip("[]")
        for allowed in self.allowed_link_hosts:
            if allowed.startswith("*."):
                if name.endswith(allowed[1:]):
                    return True
            elif name == allowed:
                return True
        return False

    def network(self, user: NetworkSettings) -> NetworkSettings:
        """The user's network settings with the administrator's ICE servers and proxy."""
        return replace(
            user,
            ice_servers=(*self.ice_servers, *user.ice_servers),
            signaling_proxy=self.proxy,
        )
