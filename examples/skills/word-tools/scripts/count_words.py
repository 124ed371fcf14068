"""Tool script: reads {"text": ...} as JSON on stdin, prints the counts as JSON on stdout."""
import json
import sys

args = json.load(sys.stdin)
text = args["text"]
print(json.dumps({"words": len(text.split()), "lines": len(text.splitlines()) or 1, "characters": len(text)}))
