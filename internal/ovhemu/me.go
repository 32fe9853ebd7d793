package ovhemu

import "strings"

// nichandleJSON is nichandle.Nichandle (me.json), GET /me. The real API
// sends every property, nullable ones as null, so every one is here.
type nichandleJSON struct {
	Address                             *string           `json:"address"`
	Area                                *string           `json:"area"`
	BirthCity                           *string           `json:"birthCity"`
	BirthDay                            *string           `json:"birthDay"`
	City                                *string           `json:"city"`
	CompanyNationalIdentificationNumber *string           `json:"companyNationalIdentificationNumber"`
	ComplementaryAddress                *string           `json:"complementaryAddress"`
	CorporationType                     *string           `json:"corporationType"`
	Country                             string            `json:"country"`
	Currency                            nichandleCurrency `json:"currency"`
	CustomerCode                        *string           `json:"customerCode"`
	Email                               string            `json:"email"`
	Fax                                 *string           `json:"fax"`
	Firstname                           *string           `json:"firstname"`
	ItalianSDI                          *string           `json:"italianSDI"`
	KycValidated                        *bool             `json:"kycValidated"`
	Language                            *string           `json:"language"`
	Legalform                           string            `json:"legalform"`
	Name                                *string           `json:"name"`
	NationalIdentificationNumber        *string           `json:"nationalIdentificationNumber"`
	Nichandle                           string            `json:"nichandle"`
	Organisation                        *string           `json:"organisation"`
	OvhCompany                          string            `json:"ovhCompany"`
	OvhSubsidiary                       string            `json:"ovhSubsidiary"`
	Phone                               *string           `json:"phone"`
	PhoneCountry                        *string           `json:"phoneCountry"`
	PhoneType                           *string           `json:"phoneType"`
	PurposeOfPurchase                   *string           `json:"purposeOfPurchase"`
	Sex                                 *string           `json:"sex"`
	SpareEmail                          *string           `json:"spareEmail"`
	State                               string            `json:"state"`
	Vat                                 *string           `json:"vat"`
	Zip                                 *string           `json:"zip"`
}

// nichandleCurrency is nichandle.Currency.
type nichandleCurrency struct {
	Code   string `json:"code"`
	Symbol string `json:"symbol"`
}

// currencySymbols gives the symbol of the currencies our accounts may use.
var currencySymbols = map[string]string{
	"EUR": "€", "GBP": "£", "USD": "$", "CAD": "$", "AUD": "$", "PLN": "zł", "CZK": "Kč",
	"MAD": "Dhs", "TND": "DT", "XOF": "FCFA", "SGD": "$", "INR": "₹",
}

// meContact is the postal profile of the seeded accounts, which state.go's
// account does not carry. [INF] invented, plausible data (documentation
// ranges for the phone numbers).
type meContact struct {
	address, city, zip, phone, customerCode string
}

var meContacts = map[string]meContact{
	DemoAccount:  {"2 rue Kellermann", "Roubaix", "59100", "+33.123456789", "1234-5678-90"},
	OtherAccount: {"31 avenue de la Gare", "Lyon", "69002", "+33.198765432", "9876-5432-10"},
}

// registerMeRoutes registers GET /me.
func (e *Emulator) registerMeRoutes() {
	e.handle("GET", "/me", false, e.getMe)
}

// GET /me: the caller's account.
func (e *Emulator) getMe(c *call) (any, error) {
	if c.account == nil {
		return nil, errNotLoggedIn()
	}
	return meJSON(c.account), nil
}

func meJSON(a *account) nichandleJSON {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	kyc := false
	out := nichandleJSON{
		Country:       a.Country,
		Currency:      nichandleCurrency{Code: a.Currency, Symbol: currencySymbols[a.Currency]},
		Email:         a.Email,
		Firstname:     str(a.FirstName),
		KycValidated:  &kyc,
		Language:      str(a.Language),
		Legalform:     "individual",
		Name:          str(a.Name),
		Nichandle:     a.NicHandle,
		OvhCompany:    "ovh",
		OvhSubsidiary: subsidiaryOf(a.Country),
		State:         "complete",
	}
	if ct, ok := meContacts[a.NicHandle]; ok {
		out.Address, out.City, out.Zip = str(ct.address), str(ct.city), str(ct.zip)
		out.Phone, out.PhoneCountry, out.CustomerCode = str(ct.phone), str(a.Country), str(ct.customerCode)
		out.PhoneType = str("landline")
	}
	return out
}

// subsidiaryOf maps a country to its OVH subsidiary
// (nichandle.OvhSubsidiaryEnum); [INF] countries without one of their own
// belong to "EU".
func subsidiaryOf(country string) string {
	switch c := strings.ToUpper(country); c {
	case "CZ", "DE", "ES", "FI", "FR", "GB", "IE", "IT", "LT", "MA", "NL", "PL", "PT", "SN", "TN":
		return c
	}
	return "EU"
}
