"""The finance bureau's receiving desk (受理): packages from many units, verified, registered and summed up."""
