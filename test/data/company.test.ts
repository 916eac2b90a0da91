import { describe, expect, it } from 'vitest'
import { COMMUNES } from '../../mock/data/communes.js'
import { companyFor, establishmentFor } from '../../mock/data/company.js'
import { isValidSiren, isValidSiret, luhnComplete, vatNumber } from '../../mock/data/identifiers.js'
import { HEADCOUNT_BANDS, LEGAL_FORMS } from '../../mock/data/nomenclatures.js'

const SEED = 42

describe('companyFor and establishmentFor', () => {
  it('gives the establishment 41816609600051 the legal unit 418166096, with the same name, address and legal form', () => {
    const company = companyFor('418166096', SEED)
    const establishment = establishmentFor('41816609600051', SEED)
    expect(establishment.siren).toBe('418166096')
    expect(establishment.company).toBe(company)
    expect(establishment.company.denomination).toBe(company.denomination)
    expect(establishment.company.address).toEqual(company.address)
    expect(establishment.company.formeJuridique).toEqual(company.formeJuridique)
  })

  it('gives the head office establishment the address of its legal unit, and another establishment its own', () => {
    const company = companyFor('418166096', SEED)
    const siege = establishmentFor(company.siretSiege, SEED)
    expect(siege.siege).toBe(true)
    expect(siege.address).toEqual(company.address)
    expect(siege.nic).toBe(company.nicSiege)
    const other = establishmentFor('41816609600051', SEED)
    if (other.siret !== company.siretSiege) expect(other.siege).toBe(false)
  })

  it('draws the same company for the same seed and SIREN, another for another seed', () => {
    const a = JSON.stringify(companyFor('552100554', 1))
    expect(JSON.stringify(companyFor('552100554', 1))).toBe(a)
    expect(JSON.stringify(companyFor('552100554', 2))).not.toBe(a)
  })

  it('keeps every company internally consistent across many SIRENs', () => {
    for (let i = 0; i < 300; i++) {
      const siren = luhnComplete(String(10_000_000 + i * 30_011))
      const c = companyFor(siren, SEED)
      expect(isValidSiren(c.siren)).toBe(true)
      expect(c.siretSiege.slice(0, 9)).toBe(siren)
      expect(isValidSiret(c.siretSiege)).toBe(true)
      expect(c.etablissements[0]).toBe(c.siretSiege)
      for (const siret of c.etablissements) expect(isValidSiret(siret)).toBe(true)
      expect(c.vatNumber).toBe(vatNumber(siren))
      expect(
        LEGAL_FORMS.some(
          (f) => f.code === c.formeJuridique.code && f.libelle === c.formeJuridique.libelle,
        ),
      ).toBe(true)
      expect(c.categorieJuridique).toBe(c.formeJuridique.code)
      // A sole proprietor is a natural person with a name; others are legal persons with officers.
      expect(c.type === 'personne_physique').toBe(c.formeJuridique.code === '1000')
      if (c.type === 'personne_physique') {
        expect(c.personnePhysique?.nom).toBeTruthy()
        expect(c.denomination.startsWith(c.personnePhysique!.nom)).toBe(true)
        expect(c.capitalSocial).toBeNull()
      } else expect(c.dirigeants.length).toBeGreaterThan(0)
      const band = HEADCOUNT_BANDS.find((b) => b.code === c.trancheEffectif.code)!
      expect(c.effectif).toBeGreaterThanOrEqual(band.min)
      expect(c.effectif).toBeLessThanOrEqual(band.max)
      // Postcode, commune and INSEE code come from one real commune; the département agrees.
      const commune = COMMUNES.find((m) => m.codeCommune === c.address.codeCommune)!
      expect(commune.codePostal).toBe(c.address.codePostal)
      expect(commune.nom).toBe(c.address.commune)
      expect(c.address.codeCommune.startsWith(c.address.departement.code)).toBe(true)
      expect(c.dateCreation < '2026-01-01').toBe(true)
      expect(c.etatAdministratif === 'C').toBe(c.dateCessation !== null)
    }
  })

  it('closes every establishment of a ceased company and never opens one before its company', () => {
    let ceased = 0
    for (let i = 0; i < 400; i++) {
      const c = companyFor(luhnComplete(String(20_000_000 + i * 7_919)), SEED)
      for (const siret of c.etablissements) {
        const e = establishmentFor(siret, SEED)
        expect(e.dateCreation >= c.dateCreation).toBe(true)
        if (c.etatAdministratif === 'C') expect(e.etatAdministratif).toBe('F')
      }
      if (c.etatAdministratif === 'C') ceased++
    }
    expect(ceased).toBeGreaterThan(0)
  })

  it('returns frozen objects, so that no caller can change the shared company', () => {
    const c = companyFor('418166096', SEED)
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(c.address)).toBe(true)
  })
})
