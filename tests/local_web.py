"""Where in-process test clients say they are: a loopback name the web app answers for (its
Host allowlist refuses Starlette's default "testserver")."""

LOCAL = "http://127.0.0.1"
