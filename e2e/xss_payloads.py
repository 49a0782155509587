"""Hostile strings for the browser's XSS journey. Every one, if it ever ran, would set
``top.__xss`` or open a dialog; none of them loads anything from another host, so a blocked
request can only mean the page itself misbehaved."""

RUN = "top.__xss=1"

SCRIPT_TAGS = [
    f"<script>{RUN}</script>",
    f"<SCRIPT>{RUN}</SCRIPT>",
    f"<script >{RUN}</script >",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f"<script\n>{RUN}</script\n>",
    f"</textarea><script>{RUN}</script>",
    f"</title><script>{RUN}</script>",
    f"</style><script>{RUN}</script>",
    f"</noscript><script>{RUN}</script>",
    f'"><script>{RUN}</script>',
    f"'><script>{RUN}</script>",
    f"<script src=data:text/javascript,{RUN}></script>",
    f"<!--<script>{RUN}</script>-->",
    f"<![CDATA[<script>{RUN}</script>]]>",
    f"<script>/*</script><script>*/{RUN}</script>",
    f"&lt;script&gt;{RUN}&lt;/script&gt;",
    f"\\u003cscript\\u003e{RUN}\\u003c/script\\u003e",
    f"<template><script>{RUN}</script></template>",
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
    f"<object data='data:text/html,<script>{RUN}</script>'></object>",
]

EVENT_HANDLERS = [
    f"<img src=x onerror={RUN}>",
    f'<img src="x" onerror="{RUN}">',
    "<img src=x onerror=alert(1)>",
    f"<svg onload={RUN}>",
    f"<svg/onload={RUN}>",
    f"<body onload={RUN}>",
    f"<input autofocus onfocus={RUN}>",
    f"<select autofocus onfocus={RUN}></select>",
    f"<textarea autofocus onfocus={RUN}></textarea>",
    f"<details open ontoggle={RUN}>",
    f"<video><source onerror={RUN}></video>",
    f"<audio src=x onerror={RUN}>",
    f"<marquee onstart={RUN}>",
    f"<div onmouseover={RUN}>hover</div>",
    f"<a onmouseover={RUN}>hover</a>",
    f"<iframe onload={RUN}></iframe>",
    f"<img src=x onerror&#x3D;{RUN}>",
    f"<img src=x\tonerror={RUN}>",
    f"<img src=x\nonerror={RUN}>",
    f"<img/src=x/onerror={RUN}>",
    f"<IMG SRC=x OnErRoR={RUN}>",
    f"<img src=`x` onerror={RUN}>",
    f"<style onload={RUN}></style>",
    f"<form><button formaction=javascript:{RUN}>go</button></form>",
    f"<isindex type=image src=1 onerror={RUN}>",
    f"<x contenteditable autofocus onfocus={RUN}>",
    "<img src=x onerror=\"window['__x'+'ss']=1\">",
    "<img src=x onerror=eval(atob('dG9wLl9feHNzPTE='))>",
]

JAVASCRIPT_URLS = [
    f"[click](javascript:{RUN})",
    f"[click](JaVaScRiPt:{RUN})",
    f"[click]( javascript:{RUN})",
    f"[click](java\tscript:{RUN})",
    f"[click](java&#x09;script:{RUN})",
    f"[click](&#106;avascript:{RUN})",
    f"[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:{RUN})",
    f"[click](javascript&colon;{RUN})",
    f"[click](javascript%3A{RUN})",
    f"[click](<javascript:{RUN}>)",
    f"<a href='javascript:{RUN}'>click</a>",
    f'<a href="&#106;avascript:{RUN}">click</a>',
    f'<a href="jav&#x0A;ascript:{RUN}">click</a>',
    f'<a href="  javascript:{RUN}">click</a>',
    f'<a href="\x01javascript:{RUN}">click</a>',
    f"<javascript:{RUN}>",
    f"[click][ref]\n\n[ref]: javascript:{RUN}",
    f"![pic](javascript:{RUN})",
    f"<iframe src=javascript:{RUN}></iframe>",
    f"<embed src=javascript:{RUN}>",
]

DATA_AND_VBSCRIPT_URLS = [
    f"[click](data:text/html,<script>{RUN}</script>)",
    "[click](data:text/html;base64,PHNjcmlwdD50b3AuX194c3M9MTwvc2NyaXB0Pg==)",
    f"[click](DaTa:text/html,<script>{RUN}</script>)",
    f"[click](&#100;ata:text/html,<script>{RUN}</script>)",
    f'<a href="data:text/html,<script>{RUN}</script>">click</a>',
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    "[click](vb&#x73;cript:msgbox(1))",
    '<a href="vbscript:msgbox(1)">click</a>',
    f"<img src=data:image/svg+xml,<svg/onload={RUN}>>",
    f"<data:text/html,<script>{RUN}</script>>",
    f"[click](livescript:{RUN})",
]

SVG_AND_MATHML = [
    f"<svg><script>{RUN}</script></svg>",
    f"<svg><a xlink:href='javascript:{RUN}'><text y=20>click</text></a></svg>",
    f"<svg><animate onbegin={RUN} attributeName=x dur=1s>",
    f"<svg><set attributeName=onmouseover to={RUN}>",
    f"<svg><foreignObject><img src=x onerror={RUN}></foreignObject></svg>",
    f"<svg><style><img src=x onerror={RUN}></style></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f"<math><maction actiontype=statusline xlink:href=javascript:{RUN}>click</maction></math>",
    f"<math href=javascript:{RUN}>click</math>",
    f"<form><math><mtext></form><form><mglyph><style></math><img src onerror={RUN}>",
    f"<noscript><p title='</noscript><img src=x onerror={RUN}>'>",
    f"<svg></p><style><a id='</style><img src=1 onerror={RUN}>'>",
    f"<math><mi//xlink:href='data:x,<script>{RUN}</script>'>",
    f"<svg><desc><![CDATA[</desc><script>{RUN}</script>]]></svg>",
    f"<table><td><svg><foreignobject><p><img src=x onerror={RUN}>",
    f"<svg><use href='data:image/svg+xml,<svg id=x><script>{RUN}</script></svg>#x'/></svg>",
]

MARKDOWN_TRICKS = [
    f'[a](https://x.example/" onmouseover="{RUN})',
    f"[a](https://x.example/'onmouseover='{RUN})",
    f'[a](https://x.example/ "title" onmouseover="{RUN}")',
    f'![a" onerror="{RUN}](https://x.example/p.png)',
    f'<https://x.example/"onmouseover="{RUN}>',
    f"https://x.example/<img src=x onerror={RUN}>",
    f"`<img src=x onerror={RUN}>`",
    f"```\n</code><img src=x onerror={RUN}>\n```",
    f"> <img src=x onerror={RUN}>",
    f"**<img src=x onerror={RUN}>**",
    f"[<img src=x onerror={RUN}>](https://x.example/)",
    f"[a](https://x.example/)<img src=x onerror={RUN}>",
    f"@Argon: <img src=x onerror={RUN}>",
    f"[a]: https://x.example/\n\n[b][a]<svg onload={RUN}>",
    f"<mailto:a@x.example?subject=<svg/onload={RUN}>>",
    "[a](https://x.example/&quot;onmouseover=&quot;top.__xss=1)",
]

CSS_TRICKS = [
    f"<div style=\"background:url('javascript:{RUN}')\">css</div>",
    '<div style="background-image:url(&#106;avascript:top.__xss=1)">css</div>',
    f"<style>@import 'javascript:{RUN}';</style>",
    f"<style>body{{background:url(javascript:{RUN})}}</style>",
    f'<div style="width:expression({RUN})">css</div>',
    "<div style='behavior:url(#default#time2)'>css</div>",
    f"<link rel=stylesheet href=javascript:{RUN}>",
    f'<p style="x:e\\78pression({RUN})">css</p>',
]

# Names and websites that try to break out of the attribute or element they are shown in.
ATTRIBUTE_BREAKOUTS = [
    f'"><img src=x onerror={RUN}>',
    f"'><img src=x onerror={RUN}>",
    f'" onmouseover="{RUN}" x="',
    f"' onfocus='{RUN}' autofocus='",
    f"</a><svg onload={RUN}>",
    f"</span><script>{RUN}</script>",
    f"javascript:{RUN}",
    f" javascript:{RUN}",
    f"data:text/html,<script>{RUN}</script>",
    "vbscript:msgbox(1)",
    f'https://x.example/"onmouseover="{RUN}',
    f"https://x.example/'><script>{RUN}</script>",
    f'http://x.example/" autofocus onfocus="{RUN}',
    f"&#106;avascript:{RUN}",
]

PAYLOADS = list(
    dict.fromkeys(
        SCRIPT_TAGS
        + EVENT_HANDLERS
        + JAVASCRIPT_URLS
        + DATA_AND_VBSCRIPT_URLS
        + SVG_AND_MATHML
        + MARKDOWN_TRICKS
        + CSS_TRICKS
        + ATTRIBUTE_BREAKOUTS
    )
)

# Websites a form or the API accepts (they pass http(s) validation) yet try to break out.
VALID_HOSTILE_URLS = [
    f"https://x.example/?q=%22%3E%3Cscript%3E{RUN}%3C/script%3E",
    "https://x.example/#'onmouseover='top.__xss=1",
]
