// Spanish names of the certification vocabularies, with the same keys as labels.en.ts.
import type { labelsEn } from './labels.en.ts';

export const labelsEs: typeof labelsEn = {
  pathway: {
    initial: 'Certificación inicial (capacitación de 80 horas)',
    reciprocity: 'Reciprocidad de otro estado',
    grandparenting: 'Derechos adquiridos (cerrado)',
    renewal: 'Renovación',
    reinstatement: 'Restablecimiento',
  },
  applicationStatus: {
    draft: 'Borrador',
    submitted: 'Enviada, en espera de revisión',
    revision_requested: 'Se pidieron cambios',
    denied: 'Denegada',
    approved: 'Aprobada',
    training_verified: 'Capacitación verificada',
    exam_authorized: 'Autorizado para el examen',
    exam_failed: 'Examen no aprobado',
    attempts_exhausted: 'Sin intentos de examen',
    application_expired: 'Aprobación vencida',
    certified: 'Completada',
    withdrawn: 'Retirada',
  },
  certificationStatus: { active: 'Activa', expired: 'Vencida', suspended: 'Suspendida', revoked: 'Revocada', vacated: 'Cancelada' },
  document: {
    photo_id: 'Identificación oficial con foto',
    diploma: 'Diploma de preparatoria o equivalente',
    out_of_state_certification: 'Certificación de otro estado',
    letter_supervisor: 'Carta de su supervisor',
    letter_colleague: 'Carta de un colega profesional',
    letter_self: 'Carta de autorrecomendación',
    employment_verification: 'Formulario de verificación de empleo',
    training_certificate: 'Certificado de capacitación',
    evidence: 'Prueba',
  },
  fee: { application: 'Cuota de solicitud', exam: 'Cuota del examen', exam_retake: 'Cuota de repetición del examen', renewal: 'Cuota de renovación', reinstatement: 'Cuota de restablecimiento', late_renewal: 'Recargo por atraso' },
  settlement: { payment: 'Pago', county_scholarship: 'Beca del condado', dhcs_scholarship: 'Beca del DHCS', fee_waiver: 'Exención de cuota', employer: 'Pagado por el empleador' },
  education: { high_school: 'Diploma de preparatoria', equivalency: 'Equivalencia (GED, HiSET, CHSPE)', higher_degree: 'Título universitario', none: 'Ninguno de estos' },
  livedExperience: { consumer: 'Tengo experiencia vivida de recuperación propia', parent_caregiver_family: 'Como padre, madre, cuidador o familiar' },
  specialization: {
    parent_caregiver_family: 'Par de padres, cuidadores y familiares',
    crisis_care: 'Servicios de pares en atención de crisis',
    unhoused: 'Servicios de pares para personas sin vivienda',
    justice_involved: 'Servicios de pares para personas involucradas con la justicia',
  },
  examResult: { pass: 'Aprobado', fail: 'No aprobado', no_show: 'No se presentó' },
};
