"""The Java contract: a network (`prdimp.net`) as a model folder.

`model_folder` (TorchScript module, `rdf.yaml` descriptor, golden tensors; `--refresh FOLDER`),
`reexport` (an older folder's weights with the current code) and `flops` (multiply-accumulates of
the exported methods). Imports `prdimp.net` only.
"""
