"""personal-contact: phones, e-mails, postcodes, home addresses; the school's own never fire."""
import pytest

from tests.rules.table import fired

FIRES = [
    ("text me on 07700 900123 if you find it", ["07700 900123"]),
    ("call 01423 567890", ["01423 567890"]),
    ("mobile +44 7911 123456", ["+44 7911 123456"]),
    ("email jo.smith1987@gmail.com", ["jo.smith1987@gmail.com"]),
    ("lost cat near YO1 7HH", ["YO1 7HH"]),
    ("she lives at 12 Park Road, Harrogate", ["12 Park Road"]),
    ("my house, 27 Bond End, HG5 9AL", ["27 Bond End", "HG5 9AL"]),
    # an address with no "home" word: a house number and street after "at", with the town after it
    ("Please drop the costumes off at 27 Victoria Avenue, Harrogate by Friday", ["27 Victoria Avenue"]),
    ("Spare kit can be collected from 4 Mill Lane, Knaresborough after 5pm", ["4 Mill Lane"]),
]
PASSES = [
    "Call the school office on 01423 542400",
    "email office@kjsb.org.uk or trips@kjsb.org.uk",
    "King James's Road, Knaresborough, HG5 0UG",
    "Y10 2nd team won 3-1",
    "U14 2ND XI",
    "kick off at 12 Park Avenue playing fields",
    "Tickets £12.50, 2 for £20",
    "Order 1234567899",
    "@KJSSport",
    "Papyrus on 0800 068 4141 or Samaritans on 116 123",
    "email info@nspcc.org.uk for resources",
    "Young Minds parents line 0808 802 5544",
    "Concert at the Royal Hall, 1 Ripon Road, Harrogate on Friday",
    "We visited 10 Downing Street on the trip",
    "Questions about the accounts? Email treasurer@pfa.ourschool.com",
    "Contact the head teacher on head.teacher@northyorks.gov.uk",
    "The school nurse: schoolnurse.team@nhs.net",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert sorted(fired("personal-contact", text)) == sorted(words)


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("personal-contact", text) == []
