"""Demo content for `masthead demo`: an invented site, written for Masthead."""

AUTHORS = [
    {
        "display_name": "Edmund Hale",
        "slug": "edmund-hale",
        "bio": (
            "Edmund Hale wrote about Port Aldery politics for thirty-one years, the last "
            "twelve as *The Masthead Review*'s senior columnist. Before that he covered the "
            "council chamber for two regional papers that no longer exist. He retired in "
            "June 2026 and now claims to be a full-time gardener in Lowtown, within sight "
            "of the harbour."
        ),
        "status": "retired",
        "status_since": "2026-06-30",
    },
    {
        "display_name": "Priya Castellane",
        "slug": "priya-castellane",
        "bio": (
            "Priya Castellane covers city hall and elections for *The Masthead Review*. "
            "She started out as a data reporter and still believes most political "
            "arguments can be settled with a spreadsheet, or at least made more honest by "
            "one. Tips are welcome through the [contact page](/contact/)."
        ),
        "status": "active",
        "status_since": None,
    },
    {
        "display_name": "Tomas Reyburn",
        "slug": "tomas-reyburn",
        "bio": (
            "Tomas Reyburn writes about the economy, the environment and the places where "
            "the two collide. A former harbour engineer, he spent eleven years on the "
            "Port Aldery quays before joining the Review in 2023. He is the site's resident "
            "explainer of tide tables, bond yields and dredging contracts."
        ),
        "status": "active",
        "status_since": None,
    },
]

CATEGORIES = [
    {
        "name": "Politics",
        "slug": "politics",
        "parent": None,
        "description": "Power in Port Aldery: who has it, who wants it, and what they do with it.",
    },
    {
        "name": "Elections",
        "slug": "elections",
        "parent": "politics",
        "description": "Campaigns, candidates and the arithmetic of polling day.",
    },
    {
        "name": "Local Government",
        "slug": "local-government",
        "parent": "politics",
        "description": "The city council, its committees and the decisions made in them.",
    },
    {
        "name": "Economy",
        "slug": "economy",
        "parent": None,
        "description": "Budgets, public assets, jobs and the money behind the headlines.",
    },
    {
        "name": "Media",
        "slug": "media",
        "parent": None,
        "description": "Local news, the people who make it and the gaps they leave behind.",
    },
    {
        "name": "Environment",
        "slug": "environment",
        "parent": None,
        "description": "The sea, the wall that holds it back and the city that lives behind it.",
    },
]

TAGS = [
    ("Harbour Authority", "harbour-authority"),
    ("Privatisation", "privatisation"),
    ("Mayoral Race", "mayoral-race"),
    ("City Council", "city-council"),
    ("Transparency", "transparency"),
    ("Public Assets", "public-assets"),
    ("Local Press", "local-press"),
    ("Flood Defences", "flood-defences"),
    ("Budget", "budget"),
    ("Pensions", "pensions"),
]

IMAGE = {
    "filename": "harbour-council.png",
    "alt_text": (
        "Stylised illustration of a harbour front at dusk: small boats moored along a "
        "stone quay in the foreground, and behind them a domed civic building with lit "
        "windows, set against an orange and violet evening sky."
    ),
    "caption": (
        "Port Aldery's council chamber overlooks the harbour its members voted on "
        "Thursday night to sell."
    ),
    "credit": "Illustration: The Masthead Review",
}

POSTS = [
    {
        "title": "The Harbour Was Sold in the Dark. Voters Can Answer in Daylight.",
        "slug": "harbour-sold-in-the-dark",
        "dek": (
            "Port Aldery's council sold its harbour authority in thirty-five minutes before "
            "midnight, and the mayoral race has just found its defining question."
        ),
        "author": "edmund-hale",
        "categories": ["local-government", "economy", "elections"],
        "tags": [
            "harbour-authority",
            "privatisation",
            "mayoral-race",
            "city-council",
            "transparency",
            "public-assets",
        ],
        "days_ago": 2,
        "hour": 7,
        "featured_image": True,
        "body": """I promised the editors when I cleared my desk in June that I would not write
another column. I lasted five months. What happened in the council chamber on Thursday night
is the kind of thing I spent thirty-one years warning readers about, and it would be a
dereliction to watch it from the allotment.

Shortly before midnight, Port Aldery City Council voted seven to six to sell the Port Aldery
Harbour Authority, the body that has run our quays, pilots and dredgers since 1911, to the
Greywater Quay Consortium for 214 million crowns. The item was not on the published agenda.
It arrived as a "supplementary urgent matter" at 11:20pm, after the public gallery had
thinned to a handful of pensioners and one tired reporter. By 11:55pm the harbour was,
subject to contract, no longer ours.

The *Aldery Evening Courant*, not a paper given to alarm, put it better than I could on
Friday morning:

> There are decisions a council may properly take in a hurry, and there are decisions it
> may not. The sale of a public asset older than anyone who voted on it belongs firmly in
> the second group. Councillors were given a valuation report thirty-six hours before the
> meeting, with its most important annex marked commercially confidential and withheld
> from the public entirely. Whatever the merits of the sale, and there may be some, the
> people of Port Aldery have been asked to trust a process that was designed not to be
> seen. That is not how a harbour should change hands.
>
> — The Aldery Evening Courant, editorial, 20 November 2026

I agree with every word of that, and I would add one thing. The hurry was not an accident.
It was the strategy.

## Who benefits

Start with the consortium, because that is where the money goes. Greywater Quay is three
firms: a logistics operator from down the coast, a property developer with a taste for
waterfront apartments, and an infrastructure fund whose investors are, as far as anyone can
tell, pension schemes in other countries. The headline price buys them a ninety-nine-year
concession over the working quays. It also buys them, almost as an afterthought, the
freehold of the North Mole: eleven acres of derelict warehousing that the council's own
planning department identified last year as the most valuable undeveloped land in the city.

Nobody needs a harbour authority to build flats. You need one to own the land the flats
will stand on. I would ask readers to hold on to that thought whenever someone from the
consortium talks about "securing the future of the working port".

The second beneficiary is Mayor Helena Voss, who faces the voters on 4 March. The sale
proceeds will arrive before polling day if contracts are exchanged on the timetable the
council has published. That money closes the hole in the pension fund that her own finance
director warned about in the summer, and it lets the mayor promise, with a straight face,
that there will be no rise in the city rate next year. A one-off windfall is being spent to
solve a permanent problem, and the bill will fall due long after this election is
forgotten. I have written about that trick [on the economy pages](/category/economy/) more
times than I care to count. It has never once worked.

The people who do not obviously benefit are the two hundred and forty harbour staff, whose
pensions transfer to the new owner on terms nobody outside the chamber has seen, and the
residents of the Lowtown streets behind the sea wall, whose flood defences depend on the
authority's dredging budget. The contract summary says those obligations "transfer in
full". It does not say for how long.

## The shortcuts

Defenders of the vote say it was lawful, and it probably was. That is a low bar. Consider
what the council had to do to clear it.

It suspended standing orders to take an unscheduled item. It skipped the finance scrutiny
committee, which was due to consider the harbour's future in January and was given no
notice. It accepted a valuation commissioned from the same advisers who are now, I am told,
in line for a success fee on completion. And it kept the annex setting out the pension and
dredging terms out of public view, on the grounds that publishing it would prejudice the
negotiation, a negotiation the council then concluded in thirty-five minutes.

Any one of these could be defended on its own. Together they describe a process built to
produce a result before anyone could object to it. That the vote passed by a single seat,
with Councillor Anwen Pryce changing her position between the tea break and the roll call,
tells you how little margin there was for daylight.

## The opposition's answer

You might expect Rafael Dunmore, the opposition leader and the mayor's main challenger, to
have spent the weekend promising to reverse the sale. He has not. On Saturday he called the
vote "a disgrace to this chamber" and demanded a referendum, which the city charter does not
provide for and which he knows it does not provide for. On Sunday, asked directly whether a
Dunmore administration would unwind the contract, he said he would "review every aspect of
the transaction".

That is a politician keeping his options open, and I understand why. Unwinding a signed
concession would cost the city money it does not have, and Mr Dunmore's own party voted for
the harbour's partial commercialisation a decade ago. But the voters of Port Aldery are
entitled to know whether the man asking for their support thinks the sale was *wrong*, or
merely *rushed*. Those are very different positions, and so far he has taken both.

There is a third candidate, the independent Maeve Corrigan, who has said plainly that she
would not have sold and would hold a public inquiry into how the vote was arranged. She is
unlikely to win. She may well decide who does.

## What to watch

Between now and March, I would suggest readers keep an eye on a handful of things, each of
which will tell you more than any campaign leaflet:

- Whether the confidential annex is published, voluntarily or otherwise, before contracts
  are exchanged.
- The date of exchange itself. If it slips past 4 March, the mayor's budget arithmetic
  falls apart.
- Any change to the zoning of the North Mole. A planning application within a year would
  tell you what the sale was really for.
- What the harbour unions are told about pensions, and whether they are told it in writing.
- Whether Mr Dunmore chooses between *wrong* and *rushed*.

## A last word

I have lived within sight of that harbour for most of my life. I have watched it lose the
fishing fleet, half its ferry routes and, for one long bad decade, most of its purpose. I do
not believe public ownership is sacred, and I am not so sentimental as to think a port must
be run the way it was in my grandfather's day.

But a city that sells the thing it is named after ought at least to do it with the lights
on. Port Aldery's council chose the dark. The election in March is the first chance voters
will have to say whether they noticed.

This really is my last column. Thank you, as ever, for reading.
""",
    },
    {
        "title": "The Harbour Windfall Fixes Next Year. It Breaks the Year After.",
        "slug": "harbour-windfall-fixes-next-year",
        "dek": (
            "Last night's sale plugs the pension gap just in time for the election, and "
            "leaves a hole where the harbour's income used to be."
        ),
        "author": "tomas-reyburn",
        "categories": ["economy", "elections"],
        "tags": ["budget", "privatisation", "pensions"],
        "days_ago": 5,
        "hour": 8,
        "featured_image": False,
        "body": """Last night's vote to sell the Port Aldery Harbour Authority will be argued
about on political grounds for months. Before that argument swallows everything, it is
worth doing the arithmetic, because the arithmetic is not complicated.

The city will receive 214 million crowns, most of it on exchange of contracts, which the
council's timetable puts in February. The finance director's summer report put the gap in
the municipal pension fund at roughly 190 million. So the sale covers the gap, with a little
left over for the mayor to spend on something photogenic before polling day on 4 March.

What the city gives up is harder to see, because it is spread across years. The harbour
authority paid the council a dividend in most years, modest but reliable, averaging around
six million crowns over the past decade. It also carried costs the city would otherwise
meet itself, chiefly the dredging of the inner channel and the upkeep of the Lowtown sea
wall. According to the contract summary those duties pass to the consortium. The summary
does not say what happens if the consortium decides they are no longer worth doing.

## A familiar pattern

Selling an asset to cover a recurring shortfall is the municipal equivalent of selling the
car to pay the rent. It works for one month. The pension gap exists because contributions
have run below the fund's obligations for years; the sale fills the hole without changing
the flow that dug it. Unless the council also changes what goes in and out each year, the
gap will reopen, and next time there will be no harbour to sell.

None of this makes the sale a bad deal by definition. A well-run private operator might
invest in the quays in ways the council never could. But the case for the sale has been made
almost entirely in terms of the one-off payment, and a one-off payment is the least
interesting number in the whole transaction.

Questions I will be putting to the finance department this week:

- What is the projected loss of dividends over ten years, in today's money?
- Who pays for the dredging if the concession is surrendered early?
- Is any of the 214 million already promised to next year's budget?

I will publish the answers, or the absence of them.
""",
    },
    {
        "title": "Who Is Left to Watch the Council Chamber?",
        "slug": "who-watches-the-council-chamber",
        "dek": (
            "The Courant's last full-time council reporter leaves on Friday, and city hall "
            "will be covered by a rota, a livestream and good intentions."
        ),
        "author": "priya-castellane",
        "categories": ["media", "local-government"],
        "tags": ["local-press", "transparency", "city-council"],
        "days_ago": 9,
        "hour": 11,
        "featured_image": False,
        "body": """When I started covering Port Aldery's city hall, the press bench in the
council chamber had seats for six reporters and they were usually full. There was the
Courant, the old *Morning Signal*, two radio stations, the national wire service and, on a
good night, a student from the polytechnic who asked better questions than the rest of us.

From next week, on most evenings, there will be me.

The *Aldery Evening Courant* confirmed this month that its council reporter, who has sat
through more budget meetings than anyone alive, is not being replaced. Council coverage
will move to what the paper's notice to readers calls a shared model:

> Our newsroom will continue to report on the decisions that matter most to readers,
> drawing on the council's livestream and on the work of reporters across the group.
>
> — The Aldery Evening Courant, notice to readers, 6 November 2026

I don't blame the Courant, which has kept going longer than most papers its size. But a
livestream is not a reporter. It shows you what happened at the front of the room. It does
not show you who the mayor's chief of staff spoke to in the corridor, which councillors left
before the vote, or what was said at the tea break. It cannot notice that an item has
appeared on the agenda at the last minute, and ask why.

Councils behave differently when they know someone is taking notes. Not dramatically, and
not always, but enough. The supplementary item, the suspended standing order, the
confidential annex: these are the tools of a chamber that expects to be unobserved, and they
get used more often when the press bench is empty.

So here is a modest request. If you live in Port Aldery, go to a council meeting this
winter. Sit in the gallery. Take notes. The next full council is on Thursday, and the
agenda is, for now, rather dull. Those are often the ones worth attending.
""",
    },
    {
        "title": "The Sea Wall Doesn't Care Who Owns the Dredger",
        "slug": "sea-wall-doesnt-care-who-owns-the-dredger",
        "dek": (
            "Lowtown's flood defences depend on a harbour budget line few residents have "
            "heard of, and it has been cut three years running."
        ),
        "author": "tomas-reyburn",
        "categories": ["environment", "local-government"],
        "tags": ["flood-defences", "harbour-authority", "public-assets"],
        "days_ago": 14,
        "hour": 16,
        "featured_image": False,
        "body": """Ask most people in Lowtown what protects their homes from the sea and they
will point at the wall. They are half right. The wall holds back the big tides, but what
keeps the streets behind it dry through an ordinary wet winter is the inner channel, and the
inner channel stays open only because somebody dredges it.

That somebody is the Port Aldery Harbour Authority, and specifically its one working
dredger, the *Kittiwake*, built in 1987 and now spending more time in the repair yard than
on the water. When the channel silts up, the storm outfalls that drain Lowtown cannot
discharge at high tide. Water backs up the pipes. Cellars flood first, then the lower
streets. It happened twice last winter, and both times the *Kittiwake* was out of action.

I spent eleven years on harbour maintenance before I started writing about it, so let me be
precise about the numbers. The authority's dredging budget has fallen in each of the past
three years, from 4.1 million crowns to 2.6 million. Over the same period, the volume of silt
removed from the inner channel has fallen by roughly a third. None of this has been
discussed at full council. It sits inside the harbour authority's own accounts, which the
council receives and notes without debate every spring.

## Ownership is not the point

There is talk in the chamber, not yet on any agenda, about the harbour's future. Whatever
happens to the authority, the channel will still need dredging and the outfalls will still
need to drain. A public owner can neglect that duty, as the figures show. A private owner
can neglect it too, and rather more easily, unless the obligation is written into a
contract with teeth.

Residents behind the sea wall should ask their councillors one question this winter: who,
by name, is responsible for keeping the channel open, and what happens if they don't? If
nobody can answer, the next wet January will answer for them.
""",
    },
]

# The discussion under the first post. Positions 1..17 are list index + 1.
COMMENTS = [
    {  # 1
        "name": "Argon",
        "email": "argon@example.net",
        "url": "",
        "body": (
            "The detail that jumps out at me is the North Mole. The consortium isn't buying "
            "a port, it's buying eleven acres of waterfront with a port attached. Anyone who "
            "watched what happened to the old rope works knows exactly how this ends."
        ),
        "minutes_after": 14,
    },
    {  # 2
        "name": "C. Clavin",
        "email": "cclavin@example.com",
        "url": "https://clavin.example.org/",
        "body": (
            "I'll be the dissenting voice. The harbour authority has lost money in nine of "
            "the last twelve years and the city has propped it up every time. Mr Hale writes "
            "beautifully about the lights being on, but the lights cost money, and the people "
            "paying for them are ratepayers in the north of the city who never go near the "
            "quays. If Greywater can make it pay, good luck to them."
        ),
        "minutes_after": 31,
    },
    {  # 3
        "name": "Marguerite T.",
        "email": "marguerite.t@example.org",
        "url": "",
        "body": (
            "What bothers me isn't the sale itself, it's the suspension of standing orders. "
            "I served on the finance scrutiny committee until last year, and the members I "
            "still speak to were told in September that the harbour review would come to "
            "them in January, with the full valuation and the pension figures. Nobody on "
            "that committee was told the item had been brought forward, and at least two of "
            "them found out from the radio the next morning. If the deal is as good as the "
            "mayor says, why couldn't it survive six weeks of scrutiny? A good deal does not "
            "need a 35-minute window."
        ),
        "minutes_after": 52,
    },
    {  # 4
        "name": "oldsalt",
        "email": "oldsalt@example.net",
        "url": "",
        "body": (
            "Forty years on the pilot boats here. Nobody has mentioned the dredging. The "
            "channel silts up every winter and the authority sends the Kittiwake out to clear "
            "it whether it pays or not, because if it doesn't the Lowtown outfalls back up. "
            "Private owners dredge where the ships go. They don't dredge where the drains go."
        ),
        "minutes_after": 75,
    },
    {  # 5
        "name": "Petra Vance",
        "email": "petra.vance@example.com",
        "url": "https://petravance.example.org/",
        "body": "Seven to six, with one vote changed at the tea break. Remember that in March.",
        "minutes_after": 96,
    },
    {  # 6: @-reply to comment 1
        "name": "Hollis Grant",
        "email": "hgrant@example.org",
        "url": "",
        "body": (
            "@Argon: The rope works comparison is fair, but so is this: that site sat empty "
            "for fifteen years under council ownership before anyone bought it. Public "
            "ownership hasn't saved the North Mole either. The question is whether we get "
            "anything back for it this time. Social housing, a public quay, anything."
        ),
        "minutes_after": 110,
    },
    {  # 7: refers back to comment 4 by number
        "name": "Desmond Achterberg",
        "email": "d.achterberg@example.net",
        "url": "",
        "body": (
            "The dredging point (see #4) is the one that should worry people most, and it's "
            "exactly what sits in the confidential annex. 'Obligations transfer in full' is "
            "doing a lot of work in that summary. Transfer for how long? Enforced by whom? If "
            "the consortium walks away in year ten, does the duty come back to the council, "
            "and with what budget?"
        ),
        "minutes_after": 143,
    },
    {  # 8: replies to comment 2 with the name misspelt
        "name": "Fern Oduya",
        "email": "fern.oduya@example.com",
        "url": "",
        "body": (
            "@C. Calvin, the losses are real, but they're losses on paper because the "
            "authority carries the dredging and the sea wall on its books. Strip those out "
            "and it broke even most years. Sell it, and the city keeps the flood risk while "
            "the consortium keeps the rents. That isn't a saving, it's a transfer."
        ),
        "minutes_after": 170,
    },
    {  # 9: empty
        "name": "Rook",
        "email": "rook@example.org",
        "url": "",
        "body": "",
        "minutes_after": 188,
    },
    {  # 10
        "name": "Ines Maro",
        "email": "ines.maro@example.net",
        "url": "https://inesmaro.example.com/",
        "body": (
            "I think the column is too hard on Dunmore. He can't promise to reverse a "
            "contract whose key terms are still secret, and if he did, Voss would spend the "
            "whole campaign saying he'd cost the city a fortune in penalties. 'Review every "
            "aspect' is weaselly, sure, but it's the only honest answer until that annex is "
            "published."
        ),
        "minutes_after": 240,
    },
    {  # 11: second comment by the reader of comment 3
        "name": "Marguerite T.",
        "email": "marguerite.t@example.org",
        "url": "",
        "body": (
            "Following up on my earlier comment: a committee member has now told me the "
            "chair asked in writing for the item to be deferred to January, and the mayor's "
            "office said no. If that letter ever surfaces, it will matter more than anything "
            "in the contract."
        ),
        "minutes_after": 262,
    },
    {  # 12: @-reply to comment 10
        "name": "Tobias Quell",
        "email": "tquell@example.com",
        "url": "",
        "body": (
            "@Ines Maro: The honest answer would be 'I'd have voted no, and here's what I'd "
            "do about it now.' He doesn't need the annex to say whether selling was right. "
            "He just doesn't want to choose until he knows which way Lowtown breaks."
        ),
        "minutes_after": 301,
    },
    {  # 13
        "name": "wavecrest",
        "email": "wavecrest@example.net",
        "url": "",
        "body": (
            "Does anyone know if the public can request the annex under the information "
            "code, or does the 'commercially confidential' label end the conversation?"
        ),
        "minutes_after": 355,
    },
    {  # 14: generic-praise spam
        "name": "Best Cheap Hosting Deals",
        "email": "offers@example.com",
        "url": "http://cheap-hosting-deals.example.com/",
        "body": (
            "Wow, I had a feeling I'd visited this page before, but after reading a handful "
            "of the articles I realised it's all new to me. In any case, I'm really pleased "
            "I came across it and I'll definitely be adding it to my favourites and coming "
            "back to check on it regularly!"
        ),
        "minutes_after": 410,
    },
    {  # 15
        "name": "Lidia S.",
        "email": "lidia.s@example.org",
        "url": "",
        "body": (
            "Twenty years in Lowtown and this is the first time I've heard that our flood "
            "defences depend on the harbour's dredging budget. If that's true, why isn't it "
            "on the front of every leaflet? Corrigan should be knocking on every door behind "
            "the sea wall."
        ),
        "minutes_after": 486,
    },
    {  # 16
        "name": "harbour_watcher",
        "email": "watcher@example.net",
        "url": "",
        "body": (
            "For what it's worth, the Courant has already asked for the annex. Expect a "
            "refusal, then an appeal, then a ruling some time after 4 March. Which is rather "
            "the point."
        ),
        "minutes_after": 620,
    },
    {  # 17
        "name": "Noel Abernathy",
        "email": "noel.abernathy@example.com",
        "url": "",
        "body": (
            "Thank you, Edmund, for one more column. I've disagreed with you about half the "
            "time for thirty years, which feels like the right ratio. Enjoy the allotment."
        ),
        "minutes_after": 905,
    },
]

# 1-based positions in COMMENTS of the comments the demo's tests care about.
COMMENT_ROLES = {
    "spam": 14,
    "empty": 9,
    "typo_reply": 8,
    "reply_to_10": 12,
    "at_reply": 6,
    "repeat_commenter": (3, 11),
}
