/**
 * Real French communes with consistent postcode, INSEE commune code and département, so that a
 * generated address passes the checks a client may run (postcode ↔ commune ↔ département).
 */

export interface Commune {
  /** Commune name as La Poste writes it (upper case, no accent). */
  nom: string
  codePostal: string
  /** INSEE code of the commune (Paris, Lyon, Marseille: code of the arrondissement). */
  codeCommune: string
  departement: { code: string; nom: string }
}

const c = (
  nom: string,
  codePostal: string,
  codeCommune: string,
  depCode: string,
  depNom: string,
): Commune => ({
  nom,
  codePostal,
  codeCommune,
  departement: { code: depCode, nom: depNom },
})

export const COMMUNES: readonly Commune[] = [
  c('PARIS 8', '75008', '75108', '75', 'Paris'),
  c('PARIS 11', '75011', '75111', '75', 'Paris'),
  c('PARIS 15', '75015', '75115', '75', 'Paris'),
  c('LYON 3EME', '69003', '69383', '69', 'Rhône'),
  c('MARSEILLE 1ER', '13001', '13201', '13', 'Bouches-du-Rhône'),
  c('TOULOUSE', '31000', '31555', '31', 'Haute-Garonne'),
  c('NANTES', '44000', '44109', '44', 'Loire-Atlantique'),
  c('BORDEAUX', '33000', '33063', '33', 'Gironde'),
  c('LILLE', '59000', '59350', '59', 'Nord'),
  c('RENNES', '35000', '35238', '35', 'Ille-et-Vilaine'),
  c('STRASBOURG', '67000', '67482', '67', 'Bas-Rhin'),
  c('MONTPELLIER', '34000', '34172', '34', 'Hérault'),
  c('NICE', '06000', '06088', '06', 'Alpes-Maritimes'),
  c('GRENOBLE', '38000', '38185', '38', 'Isère'),
  c('DIJON', '21000', '21231', '21', "Côte-d'Or"),
  c('ANGERS', '49000', '49007', '49', 'Maine-et-Loire'),
  c('REIMS', '51100', '51454', '51', 'Marne'),
  c('LE MANS', '72000', '72181', '72', 'Sarthe'),
  c('CLERMONT-FERRAND', '63000', '63113', '63', 'Puy-de-Dôme'),
  c('TOURS', '37000', '37261', '37', 'Indre-et-Loire'),
  c('LIMOGES', '87000', '87085', '87', 'Haute-Vienne'),
  c('AMIENS', '80000', '80021', '80', 'Somme'),
  c('METZ', '57000', '57463', '57', 'Moselle'),
  c('BESANCON', '25000', '25056', '25', 'Doubs'),
  c('ORLEANS', '45000', '45234', '45', 'Loiret'),
  c('ROUEN', '76000', '76540', '76', 'Seine-Maritime'),
  c('CAEN', '14000', '14118', '14', 'Calvados'),
  c('NANCY', '54000', '54395', '54', 'Meurthe-et-Moselle'),
  c('BREST', '29200', '29019', '29', 'Finistère'),
  c('BOULOGNE-BILLANCOURT', '92100', '92012', '92', 'Hauts-de-Seine'),
  c('ANNECY', '74000', '74010', '74', 'Haute-Savoie'),
  c('PAU', '64000', '64445', '64', 'Pyrénées-Atlantiques'),
  c('AJACCIO', '20000', '2A004', '2A', 'Corse-du-Sud'),
]
