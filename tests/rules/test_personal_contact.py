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
    # a mobile is a person's, whatever organisation is named before it
    ("For the football club ring our coach Dave on 07700 900456", ["07700 900456"]),
    ("Contact the school office or Mrs Lee's mobile 07700 900789", ["07700 900789"]),
    # an organisation named, then somebody's home
    ("The school trip leaves from my house, 12 Park Road, HG1 2AB", ["12 Park Road", "HG1 2AB"]),
    # a landline after a full stop: the organisation was in another sentence
    ("Thanks to the choir club. Ring me at home on 01423 567890", ["01423 567890"]),
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
    # landlines and postcodes said as an organisation's
    "please contact the main school office using telephone number 018907 81350",
    "please [call the school office](tel:+441890781350) or email us",
    "Bookings through the leisure centre on 01423 500600",
    "Oakbank Primary School\\\nMill Brae\\\nEyemouth\\\nTD14 5QZ",
    "Cullingworth Village Hall, Main Street, BD13 5AA",
    "Cross-country finals on the Stray: for sat navs, HG1 2RR gets you closest",
    "Year 5 space trip tomorrow to Jodrell Bank, Macclesfield SK11 9DL. Packed lunch please",
    "Chester Zoo trip (CH2 1LH) on Friday, please send a named packed lunch",
]


@pytest.mark.parametrize("text, words", FIRES)
def test_fires(text, words):
    assert sorted(fired("personal-contact", text)) == sorted(words)


@pytest.mark.parametrize("text", PASSES)
def test_passes(text):
    assert fired("personal-contact", text) == []


def test_a_school_accounts_us_is_the_school():
    text = "Any questions, call us on 01423 567890"
    assert fired("personal-contact", text, account="school") == []
    assert fired("personal-contact", text, account="personal") == ["01423 567890"]


#: A home address stays personal in a post about a trip or a fixture.
HOME_IN_EVENT_POSTS = [
    ("Lift share for Saturday's fixture: meet outside Mr Dyson's, 7 Farfield Lane, Knaresborough HG5 8AX", "HG5 8AX"),
    ("A purse was handed in after the concert; pop round to hers to collect, Birkdale Avenue HG5 0LS", "HG5 0LS"),
]


@pytest.mark.parametrize("text, postcode", HOME_IN_EVENT_POSTS)
def test_home_address_in_an_event_post(text, postcode):
    assert postcode in fired("personal-contact", text)
