"""The platforms' official APIs (YouTube Data API v3, Instagram Graph API, TikTok Display API),
spoken with httpx. Each module knows one API's requests, answers and error shapes; ``http.py``
holds what they share: retries with backoff and the errors a sync acts on."""
