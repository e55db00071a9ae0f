"""Qt widgets and views. Talks to `client.call` through the controller; never to the SFU."""
