"""Getting and keeping an hh.ru token: the login flow, the token store and the refresh rules.

- `login.py`: the authorization code grant with the user's own application (loopback
  redirect, or a pasted redirect URL / code), ending in a stored pair;
- `endpoint.py`: the token endpoint (`{API URL}/token`): exchange, refresh, their errors;
- `store.py`: pairs per API and profile in one JSON file (mode 0600, atomic writes) and the
  lock that keeps two processes from spending the same refresh token;
- `provider.py`: what the client asks for a token; it refreshes after expiry, once;
- `loopback.py`: the one-shot listener on 127.0.0.1 that receives the redirect;
- `paths.py`: where the store and the user's settings live (platformdirs).

The client only sees a TokenProvider (resumesync.client) and never knows how a token was got.
"""
