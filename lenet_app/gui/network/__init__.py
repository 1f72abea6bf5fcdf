"""Inside the network: feature maps, kernels and attribution heat maps (issue [7])."""
