"""The sync link: protocol, host server, peer link and discovery; asyncio only, never Qt."""
