"""The Telegram and console adapters of newsbrief (the domain lives in `briefs`)."""
