"""`make bench` (bench/web.py) and the helpers the deployment tests share with it."""
