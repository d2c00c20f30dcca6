"""The web console (bảng điều khiển): accounts, sign-in and pages over the services' HTTP APIs."""
