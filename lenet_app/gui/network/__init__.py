"""Inside the network: feature maps, kernels and attribution heat maps (issue [7]).

Every view follows one `ActivationsState` (state.py), whoever fills it:

- `NetworkView(state)`: every layer's activations as small multiples; `map_clicked(layer, index)`.
- `KernelsView(state, layer)`: one convolution layer's kernels.
- `MapDetailDialog(state)`: one map enlarged with the arithmetic of a pixel (`show_map`).
- `NetworkPanel(state)`: the three composed, with captions and the colour key (the Draw tab's).
- `ActivationsFeed(state)`: fills the state from drawn digits, throttled to what repaints allow.
- `AttributionFeed(jobs)` (attribution.py): attribution maps on a job, the latest request wins;
  `overlay_image` colours one for `DigitImageView.set_overlay`, `AttributionLegend` is its key.
"""
