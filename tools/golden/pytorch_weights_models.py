"""SharpGrad's models as torch modules with the same state-dict names: the zoo's lenet and mlp (src/SharpGrad/Models/),
and Lstm, whose forward is SharpGrad's Lstm.Forward (the output sequence)."""
import torch.nn as nn


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


class Lstm(nn.Module):
    """nn.LSTM's output sequence only, as SharpGrad's Lstm.Forward(input); the state dict is nn.LSTM's."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 8, num_layers=2)

    def forward(self, x):
        return self.lstm(x)[0]

    def state_dict(self, *args, **kwargs):
        return self.lstm.state_dict(*args, **kwargs)

    def load_state_dict(self, d, strict=True):
        return self.lstm.load_state_dict(d, strict=strict)
