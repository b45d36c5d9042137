"""Drafts whose health, family and home details sit right next to what a real rule catches."""

#: (draft, details that must never be stored, what the excerpt must still show)
DRAFTS = [
    ("Proud of Ella Brown (Y9, cystic fibrosis) who ran the 5k at King James's School today!",
     ["Ella", "Brown", "Y9", "cystic", "fibrosis", "5k", "King James"], "who ran the"),
    ("Samantha Jones is back with us, in remission since March, lovely to see her smile",
     ["Samantha", "Jones", "remission", "March"], "[no-publish name] is back with us"),
    ("As Jack's mum told me: \"his dad got three years in prison for assault\" so go easy. Ring 07700 900123",
     ["Jack", "mum", "dad", "three years", "prison", "assault", "07700"], "[phone]"),
    ("Via @bbcnews: \"Tom Hardy, 14, of 12 Acacia Road, Harrogate, who has autism, was found safe\"",
     ["Tom", "Hardy", "14", "Acacia", "Road", "Harrogate", "autism", "found safe"], "Via"),
    ("Sam Jones (Year 10) lives with her nan at 4 Mill Lane since the divorce. Call 07700 900456",
     ["Sam", "Jones", "Year 10", "nan", "Mill Lane", "divorce", "900456"], "[phone]"),
]
