// Placeholder until the module's first sources land.
