"""gunicorn's configuration for Kring's web processes (docs/deployment.md, "What runs").

    gunicorn --config=deploy/gunicorn.conf.py --bind=127.0.0.1:8000

The unit kring-web@.service starts one instance per port with this file. What it settles:

- the access log is on (standard output, so the journal) and goes through the logger class
  that redacts personal-link tokens (/p/<token>/, kring.portal.logging);
- each instance has its own control socket (gunicorn 25.1+ creates one, by default the same
  $HOME/.gunicorn/gunicorn.ctl for every instance): in the instance's runtime directory when
  systemd gives it one (RuntimeDirectory=, seen as $RUNTIME_DIRECTORY), else none at all;
- bind, workers and threads come from the environment (KRING_WEB_*, docs/configuration.md);
  a --bind on the command line wins over KRING_WEB_BIND.
"""

import os

from kring.env import env_int, env_str

wsgi_app = "kring.wsgi:application"
bind = [env_str("KRING_WEB_BIND", "127.0.0.1:8000")]
workers = env_int("KRING_WEB_WORKERS", 2 * (os.cpu_count() or 1))
threads = env_int("KRING_WEB_THREADS", 2)
# SIGTERM (systemd's stop signal) lets requests in progress finish for this long.
graceful_timeout = 30

accesslog = "-"
errorlog = "-"
logger_class = "kring.portal.logging.RedactingGunicornLogger"

_runtime_directory = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
if _runtime_directory:
    control_socket = os.path.join(_runtime_directory, "gunicorn.ctl")
else:
    control_socket_disable = True
