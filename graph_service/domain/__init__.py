"""The domain the JSON API and the CLI answer from: resource index, read model, CPV profiles,
named-query runner, answer models. Plain typed objects; no HTTP."""
