"""The meeting room as people see it: who is in, chat, raised hands, reactions.

It knows nothing about how media is forwarded: the embedded SFU plugs in as a
:class:`~client.conference.room.MediaPlane`, and another media server can do the same.
"""
