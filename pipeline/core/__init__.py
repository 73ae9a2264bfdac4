"""What every stage may use: config, the runner and its store, the stage context, file formats,
errors, Ctrl-C handling, devices, the models and their batched application.
"""
