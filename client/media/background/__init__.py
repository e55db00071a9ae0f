"""Background blur and replacement for the outgoing camera, without Qt (the headless
participant uses it too).

- :mod:`.choice`: what the user chose (``none``, ``blur``, ``picture:…``, ``file:…``); light,
  no OpenCV: settings, policy and command line import it freely.
- :mod:`.stage`: :class:`~.stage.BackgroundStage`, the step the send path calls per picture;
  :mod:`.segmenter` (the model, smoothing over time), :mod:`.effect` (the blend),
  :mod:`.cadence` (the model's rate under load), :mod:`.pictures`, :mod:`.track`.
"""
