"""The segmentation model's last step (a 2x2 transposed convolution, then a sigmoid) in numpy.

OpenCV's DNN module computes that one layer, 16 channels to a single-channel mask at twice
the size, in about 60 % of the model's whole time (9 of 15 ms here): it treats it as a general
deconvolution. With a 2x2 kernel and stride 2 each output pixel depends on exactly one input
pixel, so the layer is one small matrix product (4 x 16 by 16 x pixels), about 0.5 ms.

:func:`find_tail` recognises that shape in a loaded network; the caller checks once that the
shortcut gives the network's own answer before relying on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class ModelTail:
    features_layer: str  # the layer whose output the transposed convolution reads
    kernel: np.ndarray  # 4 x channels: one row per output position in the 2x2 block
    bias: float

    def mask(self, features: np.ndarray) -> np.ndarray:
        """The mask (2h x 2w, 0..1) from the features (1 x channels x h x w)."""
        _, channels, height, width = features.shape
        # einsum, not a matrix product: numpy hands those to OpenBLAS, whose worker threads
        # then spin for a while after each call (a whole core at ten model runs a second)
        sums = np.einsum("kc,cp->kp", self.kernel, features.reshape(channels, height * width))
        sums += self.bias
        # row (i, j) of the block, pixel (y, x) -> output pixel (2y + i, 2x + j)
        blocks = sums.reshape(2, 2, height, width).transpose(2, 0, 3, 1)
        logits = blocks.reshape(2 * height, 2 * width)
        mask: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))
        return mask.astype(np.float32, copy=False)


def find_tail(net: cv2.dnn.Net) -> ModelTail | None:
    """The tail when the network ends in a 2x2, stride-2 transposed convolution to one
    channel followed by a sigmoid (as MediaPipe's selfie models do); else None."""
    names = list(net.getLayerNames())
    if len(names) < 3:
        return None
    deconvolution, sigmoid = net.getLayer(names[-2]), net.getLayer(names[-1])
    if deconvolution.type != "Deconvolution" or sigmoid.type != "Sigmoid":
        return None
    blobs = deconvolution.blobs
    if len(blobs) != 2 or blobs[0].ndim != 4 or blobs[0].shape[1:] != (1, 2, 2):
        return None
    channels = blobs[0].shape[0]
    kernel = np.ascontiguousarray(blobs[0].reshape(channels, 4).T, np.float32)
    return ModelTail(names[-3], kernel, float(blobs[1].ravel()[0]))
