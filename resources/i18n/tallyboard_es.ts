<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>about</name>
    <message>
        <source>Console, judge and team windows</source>
        <translation>Ventanas de consola, juez y equipo</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Ampliar</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Reducir</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Tamaño real</translation>
    </message>
    <message>
        <source>Switch between the light and the dark appearance</source>
        <translation>Cambiar entre la apariencia clara y la oscura</translation>
    </message>
    <message>
        <source>Show these shortcuts</source>
        <translation>Mostrar estos atajos</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>Juez</translation>
    </message>
    <message>
        <source>↓, then Enter</source>
        <translation>↓ y luego Intro</translation>
    </message>
    <message>
        <source>Open the first team in the list</source>
        <translation>Abrir el primer equipo de la lista</translation>
    </message>
    <message>
        <source>Filter the teams by name, table or status</source>
        <translation>Filtrar los equipos por nombre, mesa o estado</translation>
    </message>
    <message>
        <source>Go from criterion to criterion, then the comment</source>
        <translation>Pasar de un criterio a otro y luego al comentario</translation>
    </message>
    <message>
        <source>Save the sheet as a draft</source>
        <translation>Guardar la hoja como borrador</translation>
    </message>
    <message>
        <source>Submit the sheet as final</source>
        <translation>Enviar la hoja como definitiva</translation>
    </message>
    <message>
        <source>Open the next team that has no final sheet</source>
        <translation>Abrir el siguiente equipo sin hoja definitiva</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Consola</translation>
    </message>
    <message>
        <source>Ctrl+1 to Ctrl+5</source>
        <translation>Ctrl+1 a Ctrl+5</translation>
    </message>
    <message>
        <source>Overview, Setup, Codes, Devices, Control</source>
        <translation>Resumen, Preparación, Códigos, Dispositivos, Control</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Pantalla</translation>
    </message>
    <message>
        <source>Full screen on or off</source>
        <translation>Activar o desactivar la pantalla completa</translation>
    </message>
    <message>
        <source>Leave full screen</source>
        <translation>Salir de la pantalla completa</translation>
    </message>
    <message>
        <source>Page Down, Page Up</source>
        <translation>Av Pág, Re Pág</translation>
    </message>
    <message>
        <source>Turn the pages of a long leaderboard</source>
        <translation>Pasar las páginas de una clasificación larga</translation>
    </message>
    <message>
        <source>Before the doors open</source>
        <translation>Antes de abrir las puertas</translation>
    </message>
    <message>
        <source>Start the console on the organiser's laptop. On Setup, enter the criteria, the teams and the judges, then assign judges to teams. Test the network with `tallyboard rehearse` if you can.</source>
        <translation>Inicie la consola en el portátil de la organización. En Preparación, introduzca los criterios, los equipos y los jueces, y luego asigne jueces a los equipos. Si puede, pruebe la red con `tallyboard rehearse`.</translation>
    </message>
    <message>
        <source>Pairing devices</source>
        <translation>Emparejar dispositivos</translation>
    </message>
    <message>
        <source>On Codes, each judge, each team and the displays have a join code. A judge's laptop finds the console on the network; the judge types the code once. Read out the certificate fingerprint if a laptop asks whether to trust the host.</source>
        <translation>En Códigos, cada juez, cada equipo y las pantallas tienen un código de acceso. El portátil de un juez encuentra la consola en la red; el juez escribe el código una vez. Lea en voz alta la huella del certificado si un portátil pregunta si debe confiar en el servidor.</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <source>On Control, open scoring. Judges save drafts and submit final sheets; Overview shows each judge's progress. A laptop that loses the network keeps every sheet and sends it when it is back.</source>
        <translation>En Control, abra la puntuación. Los jueces guardan borradores y envían hojas definitivas; Resumen muestra el progreso de cada juez. Un portátil que pierde la red conserva todas las hojas y las envía cuando vuelve.</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Lock scoring when judging is over: nothing that changes the results can change. Show the results on the displays (live, frozen, or revealed place by place), then release them so that teams see their scores and comments.</source>
        <translation>Bloquee la puntuación cuando termine la evaluación: ya no puede cambiar nada que altere los resultados. Muestre los resultados en las pantallas (en directo, congelados o revelados puesto a puesto) y luego publíquelos para que los equipos vean sus puntuaciones y comentarios.</translation>
    </message>
    <message>
        <source>If the host laptop fails</source>
        <translation>Si falla el portátil del servidor</translation>
    </message>
    <message>
        <source>Copy any judge's database to a spare laptop and use File ▸ Rebuild host from a judge's replica. Judges then trust the new certificate and carry on.</source>
        <translation>Copie la base de datos de cualquier juez a un portátil de reserva y use Archivo ▸ Reconstruir el servidor desde la réplica de un juez. Los jueces confían entonces en el nuevo certificado y continúan.</translation>
    </message>
    <message>
        <source>Offline-first judging for hackathons, science fairs and contests.</source>
        <translation>Evaluación sin conexión para hackatones, ferias de ciencias y concursos.</translation>
    </message>
    <message>
        <source>This host's certificate fingerprint (judges' laptops compare it before they trust the host): {fingerprint}</source>
        <translation>Huella del certificado de este servidor (los portátiles de los jueces la comparan antes de confiar en él): {fingerprint}</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Cannot open {db}: {exc}</source>
        <translation>No se puede abrir {db}: {exc}</translation>
    </message>
    <message>
        <source>Cannot serve {db}: {exc}</source>
        <translation>No se puede servir {db}: {exc}</translation>
    </message>
</context>
<context>
    <name>desk</name>
    <message>
        <source>Sheet</source>
        <translation>Hoja</translation>
    </message>
    <message>
        <source>Event setting</source>
        <translation>Ajuste del evento</translation>
    </message>
    <message>
        <source>Team saved</source>
        <translation>Equipo guardado</translation>
    </message>
    <message>
        <source>Team removed</source>
        <translation>Equipo eliminado</translation>
    </message>
    <message>
        <source>Criterion saved</source>
        <translation>Criterio guardado</translation>
    </message>
    <message>
        <source>Criterion removed</source>
        <translation>Criterio eliminado</translation>
    </message>
    <message>
        <source>Judge saved</source>
        <translation>Juez guardado</translation>
    </message>
    <message>
        <source>Judge removed</source>
        <translation>Juez eliminado</translation>
    </message>
    <message>
        <source>Assignment</source>
        <translation>Asignación</translation>
    </message>
    <message>
        <source>Device paired</source>
        <translation>Dispositivo emparejado</translation>
    </message>
    <message>
        <source>Device revoked</source>
        <translation>Dispositivo revocado</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Aceptada</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rechazada</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>Definitiva</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Borrador</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>Juez</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Equipo</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Guardada</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comentario</translation>
    </message>
    <message>
        <source>Not ranked yet: no final sheet counts.</source>
        <translation>Aún sin puesto: no cuenta ninguna hoja definitiva.</translation>
    </message>
    <message>
        <source>Rank {rank} of {ranked} · total {total} · {count} of {expected} final</source>
        <translation>Puesto {rank} de {ranked} · total {total} · {count} de {expected} definitivas</translation>
    </message>
    <message>
        <source>{final} of {expected} final · {drafts} drafts</source>
        <translation>{final} de {expected} definitivas · {drafts} borradores</translation>
    </message>
    <message>
        <source>No final sheet yet: nothing to say about how this judge marks.</source>
        <translation>Aún no hay hojas definitivas: nada que decir de cómo puntúa este juez.</translation>
    </message>
    <message>
        <source>Marks: mean {mean}, spread {spread} over {count} final sheets (0–100)</source>
        <translation>Puntúa: media {mean}, dispersión {spread} en {count} hojas definitivas (0–100)</translation>
    </message>
    <message>
        <source>No laptop paired</source>
        <translation>Ningún portátil emparejado</translation>
    </message>
    <message>
        <source>Laptops: {devices}</source>
        <translation>Portátiles: {devices}</translation>
    </message>
    <message>
        <source>comment changed</source>
        <translation>comentario cambiado</translation>
    </message>
    <message>
        <source>no change</source>
        <translation>sin cambios</translation>
    </message>
    <message>
        <source>Refused ({code})</source>
        <translation>Rechazada ({code})</translation>
    </message>
    <message>
        <source>First saved as final</source>
        <translation>Guardada por primera vez como definitiva</translation>
    </message>
    <message>
        <source>Draft → final</source>
        <translation>Borrador → definitiva</translation>
    </message>
    <message>
        <source>Final → draft</source>
        <translation>Definitiva → borrador</translation>
    </message>
    <message>
        <source>Saved again as final</source>
        <translation>Guardada de nuevo como definitiva</translation>
    </message>
    <message>
        <source>Saved again as draft</source>
        <translation>Guardada de nuevo como borrador</translation>
    </message>
    <message>
        <source>{judge}'s sheet for {team}</source>
        <translation>Hoja de {judge} para {team}</translation>
    </message>
    <message>
        <source>{sheet} · {round}</source>
        <translation>{sheet} · {round}</translation>
    </message>
    <message>
        <source>{versions} versions, {refusals} refused</source>
        <translation>{versions} versiones, {refusals} rechazadas</translation>
    </message>
    <message>
        <source>1 version, {refusals} refused</source>
        <translation>1 versión, {refusals} rechazadas</translation>
    </message>
    <message>
        <source>Stands as {state}, saved {when}.</source>
        <translation>Queda como {state}, guardada a las {when}.</translation>
    </message>
    <message>
        <source>First saved as draft</source>
        <translation>Guardada por primera vez como borrador</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>asignado</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>sin asignar</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>Organización</translation>
    </message>
    <message>
        <source>The newest {count} ops; filter to see older ones.</source>
        <translation>Las {count} operaciones más recientes; filtre para ver otras anteriores.</translation>
    </message>
    <message>
        <source>1 op.</source>
        <translation>1 operación.</translation>
    </message>
    <message>
        <source>{count} ops.</source>
        <translation>{count} operaciones.</translation>
    </message>
    <message>
        <source>1 refused.</source>
        <translation>1 rechazada.</translation>
    </message>
    <message>
        <source>{refused} refused.</source>
        <translation>{refused} rechazadas.</translation>
    </message>
    <message>
        <source>1 refused op not yet looked at</source>
        <translation>1 operación rechazada sin revisar</translation>
    </message>
    <message>
        <source>{count} refused ops not yet looked at</source>
        <translation>{count} operaciones rechazadas sin revisar</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Actividad</translation>
    </message>
    <message>
        <source>Every op the host has decided, newest first: refused ones in red, with the reason the judge was given. Enter or double-click a sheet to see its history.</source>
        <translation>Cada operación que ha decidido el anfitrión, la más reciente primero: las rechazadas en rojo, con el motivo que recibió el juez. Pulse Intro o haga doble clic en una hoja para ver su historial.</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>Todos los equipos</translation>
    </message>
    <message>
        <source>All judges</source>
        <translation>Todos los jueces</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Todos los tipos</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>Cualquier resultado</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Hecha</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>This team is no longer in the event</source>
        <translation>Este equipo ya no está en el evento</translation>
    </message>
    <message>
        <source>This judge is no longer in the event</source>
        <translation>Este juez ya no está en el evento</translation>
    </message>
    <message>
        <source>Sheets of this judge</source>
        <translation>Hojas de este juez</translation>
    </message>
    <message>
        <source>Enter or double-click: the sheet's history</source>
        <translation>Intro o doble clic: el historial de la hoja</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>History of this sheet</source>
        <translation>Historial de esta hoja</translation>
    </message>
    <message>
        <source>Team's page</source>
        <translation>Página del equipo</translation>
    </message>
    <message>
        <source>Open the team's page</source>
        <translation>Abrir la página del equipo</translation>
    </message>
    <message>
        <source>Judge's page</source>
        <translation>Página del juez</translation>
    </message>
    <message>
        <source>Open the judge's page</source>
        <translation>Abrir la página del juez</translation>
    </message>
    <message>
        <source>Sheets of this team</source>
        <translation>Hojas de este equipo</translation>
    </message>
    <message>
        <source>Sheet voided</source>
        <translation>Hoja anulada</translation>
    </message>
    <message>
        <source>Sheet restored</source>
        <translation>Hoja restablecida</translation>
    </message>
    <message>
        <source>Sheet reopened</source>
        <translation>Hoja reabierta</translation>
    </message>
    <message>
        <source>Sheet relocked</source>
        <translation>Hoja bloqueada de nuevo</translation>
    </message>
    <message>
        <source>Paper sheet entered</source>
        <translation>Hoja en papel introducida</translation>
    </message>
    <message>
        <source>Prize saved</source>
        <translation>Premio guardado</translation>
    </message>
    <message>
        <source>Prize removed</source>
        <translation>Premio eliminado</translation>
    </message>
    <message>
        <source>Round saved</source>
        <translation>Ronda guardada</translation>
    </message>
    <message>
        <source>Round removed</source>
        <translation>Ronda eliminada</translation>
    </message>
    <message>
        <source>Round phase</source>
        <translation>Fase de la ronda</translation>
    </message>
    <message>
        <source>Finalist chosen or dropped</source>
        <translation>Finalista elegido o retirado</translation>
    </message>
    <message>
        <source>Voided by the organiser</source>
        <translation>Anulada por la organización</translation>
    </message>
    <message>
        <source>Restored by the organiser</source>
        <translation>Restablecida por la organización</translation>
    </message>
    <message>
        <source>Reopened for the judge</source>
        <translation>Reabierta para el juez</translation>
    </message>
    <message>
        <source>Relocked by the organiser</source>
        <translation>Bloqueada de nuevo por la organización</translation>
    </message>
    <message>
        <source>{state} (paper)</source>
        <translation>{state} (en papel)</translation>
    </message>
    <message>
        <source>Void · {state}</source>
        <translation>Anulada · {state}</translation>
    </message>
    <message>
        <source>Entered from paper by the organiser · {what}</source>
        <translation>Introducida desde papel por la organización · {what}</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Motivo: {reason}</translation>
    </message>
    <message>
        <source>Organiser ({device})</source>
        <translation>Organización ({device})</translation>
    </message>
    <message>
        <source>VOID: counts on no board.</source>
        <translation>ANULADA: no cuenta en ninguna clasificación.</translation>
    </message>
    <message>
        <source>Corrections open once scoring has started.</source>
        <translation>Las correcciones se abren cuando empieza la puntuación.</translation>
    </message>
    <message>
        <source>Reopened: the judge may save this sheet until it is final or relocked.</source>
        <translation>Reabierta: el juez puede guardar esta hoja hasta que sea definitiva o se bloquee de nuevo.</translation>
    </message>
    <message>
        <source>Reopening is for a locked round; the judge can still save now.</source>
        <translation>Reabrir es para una ronda bloqueada; el juez aún puede guardar ahora.</translation>
    </message>
    <message>
        <source>no total (no final sheet counts)</source>
        <translation>sin total (no cuenta ninguna hoja definitiva)</translation>
    </message>
    <message>
        <source>{total} from {count} final sheets</source>
        <translation>{total} de {count} hojas definitivas</translation>
    </message>
    <message>
        <source>{team}'s total: {before} → {after}.</source>
        <translation>Total de {team}: {before} → {after}.</translation>
    </message>
    <message>
        <source>Void sheet</source>
        <translation>Anular hoja</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Anular</translation>
    </message>
    <message>
        <source>Void {judge}'s sheet for {team}? It is kept and shown struck through, and counts on no board.</source>
        <translation>¿Anular la hoja de {judge} para {team}? Se conserva, se muestra tachada y no cuenta en ninguna clasificación.</translation>
    </message>
    <message>
        <source>Restore sheet</source>
        <translation>Restablecer hoja</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restablecer</translation>
    </message>
    <message>
        <source>Restore {judge}'s sheet for {team}? It counts again.</source>
        <translation>¿Restablecer la hoja de {judge} para {team}? Vuelve a contar.</translation>
    </message>
    <message>
        <source>Reopen for the judge</source>
        <translation>Reabrir para el juez</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reabrir</translation>
    </message>
    <message>
        <source>Let {judge} save the sheet for {team} again, though the round is locked? It relocks when they save it final, or when you relock it.</source>
        <translation>¿Permitir que {judge} vuelva a guardar la hoja de {team}, aunque la ronda esté bloqueada? Se bloquea de nuevo cuando la guarde como definitiva o cuando usted la bloquee.</translation>
    </message>
    <message>
        <source>{team}'s total stays {before} until they save.</source>
        <translation>El total de {team} sigue siendo {before} hasta que guarde.</translation>
    </message>
    <message>
        <source>Relock sheet</source>
        <translation>Bloquear hoja de nuevo</translation>
    </message>
    <message>
        <source>Relock</source>
        <translation>Bloquear</translation>
    </message>
    <message>
        <source>Relock {judge}'s sheet for {team}? They can no longer save it.</source>
        <translation>¿Bloquear de nuevo la hoja de {judge} para {team}? Ya no podrá guardarla.</translation>
    </message>
    <message>
        <source>Enter paper sheet</source>
        <translation>Introducir hoja en papel</translation>
    </message>
    <message>
        <source>Enter sheet</source>
        <translation>Introducir hoja</translation>
    </message>
    <message>
        <source>Enter this sheet as {judge}'s for {team}, marked as entered by the organiser?</source>
        <translation>¿Introducir esta hoja como la de {judge} para {team}, marcada como introducida por la organización?</translation>
    </message>
    <message>
        <source>Type the reason; it is kept in the sheet's history.</source>
        <translation>Escriba el motivo; se guarda en el historial de la hoja.</translation>
    </message>
    <message>
        <source>Paper sheet of {judge} for {team}</source>
        <translation>Hoja en papel de {judge} para {team}</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>Anular…</translation>
    </message>
    <message>
        <source>Void this sheet: kept, counted nowhere</source>
        <translation>Anular esta hoja: se conserva y no cuenta en ninguna parte</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>Restablecer…</translation>
    </message>
    <message>
        <source>Count this void sheet again</source>
        <translation>Volver a contar esta hoja anulada</translation>
    </message>
    <message>
        <source>Reopen for the judge…</source>
        <translation>Reabrir para el juez…</translation>
    </message>
    <message>
        <source>Let the judge save this sheet again after lock</source>
        <translation>Permitir que el juez vuelva a guardar esta hoja tras el bloqueo</translation>
    </message>
    <message>
        <source>Relock…</source>
        <translation>Bloquear de nuevo…</translation>
    </message>
    <message>
        <source>Close the reopened sheet again</source>
        <translation>Cerrar de nuevo la hoja reabierta</translation>
    </message>
    <message>
        <source>Enter paper sheet…</source>
        <translation>Introducir hoja en papel…</translation>
    </message>
    <message>
        <source>Type in the judge's paper sheet</source>
        <translation>Transcribir la hoja en papel del juez</translation>
    </message>
    <message>
        <source>Final (counts in the total)</source>
        <translation>Definitiva (cuenta en el total)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>e.g. Ada's laptop died; her paper sheet</source>
        <translation>p. ej., el portátil de Ada se estropeó; su hoja en papel</translation>
    </message>
    <message>
        <source>{name}: “{typed}” is not a number.</source>
        <translation>{name}: «{typed}» no es un número.</translation>
    </message>
    <message>
        <source>The comment is longer than {limit} characters.</source>
        <translation>El comentario tiene más de {limit} caracteres.</translation>
    </message>
    <message>
        <source>Type the reason for entering this sheet.</source>
        <translation>Escriba el motivo para introducir esta hoja.</translation>
    </message>
    <message>
        <source>not ranked yet</source>
        <translation>aún sin puesto</translation>
    </message>
    <message>
        <source>rank {rank} of {ranked} · total {total}</source>
        <translation>puesto {rank} de {ranked} · total {total}</translation>
    </message>
</context>
<context>
    <name>display</name>
    <message>
        <source>1 more team to reveal</source>
        <translation>Queda 1 equipo por revelar</translation>
    </message>
    <message>
        <source>{count} more teams to reveal</source>
        <translation>Quedan {count} equipos por revelar</translation>
    </message>
    <message>
        <source>Teams {first}–{last} of {count}</source>
        <translation>Equipos {first}–{last} de {count}</translation>
    </message>
    <message>
        <source>No scores yet</source>
        <translation>Aún sin puntuaciones</translation>
    </message>
    <message>
        <source>1 judge</source>
        <translation>1 juez</translation>
    </message>
    <message>
        <source>{count} judges</source>
        <translation>{count} jueces</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>{state} · last update {time}</source>
        <translation>{state} · última actualización {time}</translation>
    </message>
    <message>
        <source>The final results</source>
        <translation>Los resultados finales</translation>
    </message>
    <message>
        <source>RESULTS RELEASED</source>
        <translation>RESULTADOS PUBLICADOS</translation>
    </message>
    <message>
        <source>Scoring is locked: these are the final scores</source>
        <translation>La puntuación está bloqueada: estas son las puntuaciones finales</translation>
    </message>
    <message>
        <source>LOCKED</source>
        <translation>BLOQUEADA</translation>
    </message>
    <message>
        <source>Live leaderboard</source>
        <translation>Clasificación en directo</translation>
    </message>
    <message>
        <source>● LIVE</source>
        <translation>● EN DIRECTO</translation>
    </message>
    <message>
        <source>How many judges have scored each team so far</source>
        <translation>Cuántos jueces han puntuado a cada equipo hasta ahora</translation>
    </message>
    <message>
        <source>Judging is over · results soon</source>
        <translation>La evaluación ha terminado · resultados en breve</translation>
    </message>
    <message>
        <source>Judging in progress · results later</source>
        <translation>Evaluación en curso · resultados más tarde</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>RESULTS FROZEN</source>
        <translation>RESULTADOS CONGELADOS</translation>
    </message>
    <message>
        <source>The results, from last place to first</source>
        <translation>Los resultados, del último puesto al primero</translation>
    </message>
    <message>
        <source>ALL REVEALED</source>
        <translation>TODOS REVELADOS</translation>
    </message>
    <message>
        <source>{v0} REVEALED · {hidden} TO GO</source>
        <translation>{v0} REVELADOS · QUEDAN {hidden}</translation>
    </message>
    <message>
        <source>Waiting for the results</source>
        <translation>Esperando los resultados</translation>
    </message>
    <message>
        <source>The leaderboard appears here as soon as the host sends it.</source>
        <translation>La clasificación aparecerá aquí en cuanto la envíe el servidor.</translation>
    </message>
    <message>
        <source>Results coming up</source>
        <translation>Los resultados, en breve</translation>
    </message>
    <message>
        <source>Stay tuned: the winners are about to be revealed.</source>
        <translation>Atentos: los ganadores están a punto de revelarse.</translation>
    </message>
    <message>
        <source>Judging in progress</source>
        <translation>Evaluación en curso</translation>
    </message>
    <message>
        <source>No teams have been entered yet.</source>
        <translation>Aún no se ha inscrito ningún equipo.</translation>
    </message>
    <message>
        <source>No teams yet</source>
        <translation>Aún no hay equipos</translation>
    </message>
    <message>
        <source>Teams appear here as soon as the organiser adds them.</source>
        <translation>Los equipos aparecerán aquí en cuanto la organización los añada.</translation>
    </message>
    <message>
        <source>Place {rank}: not revealed yet</source>
        <translation>Puesto {rank}: aún sin revelar</translation>
    </message>
    <message>
        <source>unranked</source>
        <translation>sin puesto</translation>
    </message>
    <message>
        <source>rank {rank}</source>
        <translation>puesto {rank}</translation>
    </message>
    <message>
        <source>TEAM</source>
        <translation>EQUIPO</translation>
    </message>
    <message>
        <source>SCORED BY</source>
        <translation>PUNTUADO POR</translation>
    </message>
    <message>
        <source>RANK</source>
        <translation>POS.</translation>
    </message>
    <message>
        <source>JUDGES</source>
        <translation>JUECES</translation>
    </message>
    <message>
        <source>SCORE</source>
        <translation>PUNTOS</translation>
    </message>
    <message>
        <source>To be revealed…</source>
        <translation>Por revelar…</translation>
    </message>
    <message>
        <source>Tallyboard display</source>
        <translation>Pantalla de Tallyboard</translation>
    </message>
    <message>
        <source>Join as display</source>
        <translation>Unirse como pantalla</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Estado de la conexión</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Anuncio</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Página</translation>
    </message>
    <message>
        <source>Link to the host</source>
        <translation>Conexión con el servidor</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>What the board shows</source>
        <translation>Qué muestra el marcador</translation>
    </message>
    <message>
        <source>Board state</source>
        <translation>Estado del marcador</translation>
    </message>
    <message>
        <source>Board message</source>
        <translation>Mensaje del marcador</translation>
    </message>
    <message>
        <source>Board message details</source>
        <translation>Detalles del mensaje del marcador</translation>
    </message>
    <message>
        <source>{v0} — Display</source>
        <translation>{v0} — Pantalla</translation>
    </message>
    <message>
        <source>Public page</source>
        <translation>Página pública</translation>
    </message>
    <message>
        <source>QR code of the public page</source>
        <translation>Código QR de la página pública</translation>
    </message>
    <message>
        <source>Follow on your phone:
{url}</source>
        <translation>Síguelo en tu móvil:
{url}</translation>
    </message>
    <message>
        <source>{index} / {count}</source>
        <translation>{index} / {count}</translation>
    </message>
    <message>
        <source>Board shown, of the boards</source>
        <translation>Tablero mostrado, de los tableros</translation>
    </message>
    <message>
        <source>Sponsored by {sponsor}</source>
        <translation>Patrocinado por {sponsor}</translation>
    </message>
</context>
<context>
    <name>host</name>
    <message>
        <source>Import 1 team</source>
        <translation>Importar 1 equipo</translation>
    </message>
    <message>
        <source>Import {v0} teams</source>
        <translation>Importar {v0} equipos</translation>
    </message>
    <message>
        <source>Imported 1 team.</source>
        <translation>Se importó 1 equipo.</translation>
    </message>
    <message>
        <source>Imported {v0} teams.</source>
        <translation>Se importaron {v0} equipos.</translation>
    </message>
    <message>
        <source>The host refused {v0}.</source>
        <translation>El servidor rechazó {v0}.</translation>
    </message>
    <message>
        <source>You stopped the import before the end.</source>
        <translation>Detuvo la importación antes del final.</translation>
    </message>
    <message>
        <source>Auto-assign…</source>
        <translation>Asignar automáticamente…</translation>
    </message>
    <message>
        <source>Auto-assign k judges per team</source>
        <translation>Asignar automáticamente k jueces por equipo</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>Quitar todas</translation>
    </message>
    <message>
        <source>Clear every assignment</source>
        <translation>Quitar todas las asignaciones</translation>
    </message>
    <message>
        <source>Tick the teams each judge scores. A judge with no ticks may score every team it has no conflict with; greyed cells are conflicts of interest.</source>
        <translation>Marque los equipos que puntúa cada juez. Un juez sin marcas puede puntuar a todos los equipos con los que no tenga conflicto; las celdas en gris son conflictos de intereses.</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>Asignaciones</translation>
    </message>
    <message>
        <source>Assignment summary</source>
        <translation>Resumen de asignaciones</translation>
    </message>
    <message>
        <source>Add judges and teams first.</source>
        <translation>Añada primero jueces y equipos.</translation>
    </message>
    <message>
        <source>No judge has assignments.</source>
        <translation>Ningún juez tiene asignaciones.</translation>
    </message>
    <message>
        <source>Clear assignments</source>
        <translation>Quitar asignaciones</translation>
    </message>
    <message>
        <source>Clear every assignment? Every judge may then score every team it has no conflict with.</source>
        <translation>¿Quitar todas las asignaciones? Cada juez podrá puntuar a todos los equipos con los que no tenga conflicto.</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>conflicto</translation>
    </message>
    <message>
        <source>Devices paired with the code for {name}</source>
        <translation>Dispositivos emparejados con el código de {name}</translation>
    </message>
    <message>
        <source>Set how many devices may pair with this code</source>
        <translation>Fijar cuántos dispositivos pueden emparejarse con este código</translation>
    </message>
    <message>
        <source>Allow another</source>
        <translation>Permitir otro</translation>
    </message>
    <message>
        <source>Let one more device pair with {name}'s code</source>
        <translation>Permitir un dispositivo más con el código de {name}</translation>
    </message>
    <message>
        <source>Join code for {name}</source>
        <translation>Código de acceso de {name}</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy the join code for {name}</source>
        <translation>Copiar el código de acceso de {name}</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Copiar enlace</translation>
    </message>
    <message>
        <source>Copy the join link for {name}</source>
        <translation>Copiar el enlace de acceso de {name}</translation>
    </message>
    <message>
        <source>Devices for one join code</source>
        <translation>Dispositivos por código de acceso</translation>
    </message>
    <message>
        <source>How many devices may pair with the code for {name}?
{usage} now. Each laptop or phone counts once; revoking one frees its place.</source>
        <translation>¿Cuántos dispositivos pueden emparejarse con el código de {name}?
Ahora: {usage}. Cada portátil o teléfono cuenta una vez; revocar uno libera su plaza.</translation>
    </message>
    <message>
        <source>Join codes</source>
        <translation>Códigos de acceso</translation>
    </message>
    <message>
        <source>Give each judge and team their own code; one code serves every display. Codes are secrets: they never leave this machine except as you hand them out.</source>
        <translation>Dé a cada juez y a cada equipo su propio código; un solo código sirve para todas las pantallas. Los códigos son secretos: solo salen de este equipo cuando usted los entrega.</translation>
    </message>
    <message>
        <source>Displays</source>
        <translation>Pantallas</translation>
    </message>
    <message>
        <source>One code for every projector and screen in the hall.</source>
        <translation>Un código para todos los proyectores y pantallas de la sala.</translation>
    </message>
    <message>
        <source>Judges</source>
        <translation>Jueces</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>Equipos</translation>
    </message>
    <message>
        <source>How devices reach this host</source>
        <translation>Cómo llegan los dispositivos a este servidor</translation>
    </message>
    <message>
        <source>Host addresses</source>
        <translation>Direcciones del servidor</translation>
    </message>
    <message>
        <source>Copy the host address</source>
        <translation>Copiar la dirección del servidor</translation>
    </message>
    <message>
        <source>Sync URL</source>
        <translation>URL de sincronización</translation>
    </message>
    <message>
        <source>Certificate fingerprint</source>
        <translation>Huella del certificado</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificado</translation>
    </message>
    <message>
        <source>Copy the certificate fingerprint</source>
        <translation>Copiar la huella del certificado</translation>
    </message>
    <message>
        <source>Devices find this host on the network by themselves; where the Wi-Fi blocks that, type the address. On first contact a judge's laptop shows the certificate fingerprint, and after a host rebuild every laptop asks to trust the new one: it must match the one above.</source>
        <translation>Los dispositivos encuentran este servidor en la red por sí solos; si la wifi lo impide, escriba la dirección. En el primer contacto, el portátil de un juez muestra la huella del certificado, y tras reconstruir el servidor cada portátil pide confiar en la nueva: debe coincidir con la de arriba.</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>Control</translation>
    </message>
    <message>
        <source>Run the event: open and close scoring, drive the displays.</source>
        <translation>Dirija el evento: abra y cierre la puntuación, gobierne las pantallas.</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Fase</translation>
    </message>
    <message>
        <source>Judges see the leaderboard and each other's scores</source>
        <translation>Los jueces ven la clasificación y las puntuaciones de los demás</translation>
    </message>
    <message>
        <source>Judges see results</source>
        <translation>Los jueces ven los resultados</translation>
    </message>
    <message>
        <source>Reveal next</source>
        <translation>Revelar siguiente</translation>
    </message>
    <message>
        <source>Reveal the next place</source>
        <translation>Revelar el siguiente puesto</translation>
    </message>
    <message>
        <source>Reset reveal</source>
        <translation>Reiniciar revelación</translation>
    </message>
    <message>
        <source>Hide every revealed place</source>
        <translation>Ocultar todos los puestos revelados</translation>
    </message>
    <message>
        <source>Reveal progress</source>
        <translation>Progreso de la revelación</translation>
    </message>
    <message>
        <source>Event name</source>
        <translation>Nombre del evento</translation>
    </message>
    <message>
        <source>Shown on every device and display.</source>
        <translation>Se muestra en todos los dispositivos y pantallas.</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Renombrar</translation>
    </message>
    <message>
        <source>Rename the event</source>
        <translation>Renombrar el evento</translation>
    </message>
    <message>
        <source>Results and backup</source>
        <translation>Resultados y copia de seguridad</translation>
    </message>
    <message>
        <source>Export the results, or copy the whole database (safe while the event runs).</source>
        <translation>Exporte los resultados o copie toda la base de datos (seguro durante el evento).</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Export the results as CSV</source>
        <translation>Exportar los resultados como CSV</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>Exportar JSON…</translation>
    </message>
    <message>
        <source>Export the whole event as JSON</source>
        <translation>Exportar todo el evento como JSON</translation>
    </message>
    <message>
        <source>Back up database…</source>
        <translation>Copia de seguridad…</translation>
    </message>
    <message>
        <source>Back up the database to a file</source>
        <translation>Copiar la base de datos a un archivo</translation>
    </message>
    <message>
        <source>Last export</source>
        <translation>Última exportación</translation>
    </message>
    <message>
        <source>Reveal place {next_rank}</source>
        <translation>Revelar el puesto {next_rank}</translation>
    </message>
    <message>
        <source>Pick Reveal to show the places one by one.</source>
        <translation>Elija Revelar para mostrar los puestos uno a uno.</translation>
    </message>
    <message>
        <source>Change phase</source>
        <translation>Cambiar de fase</translation>
    </message>
    <message>
        <source>Add criterion</source>
        <translation>Añadir criterio</translation>
    </message>
    <message>
        <source>Add a criterion</source>
        <translation>Añadir un criterio</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Edit the selected criterion</source>
        <translation>Editar el criterio seleccionado</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Remove the selected criterion</source>
        <translation>Eliminar el criterio seleccionado</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Subir</translation>
    </message>
    <message>
        <source>Move the selected criterion up</source>
        <translation>Subir el criterio seleccionado</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Bajar</translation>
    </message>
    <message>
        <source>Move the selected criterion down</source>
        <translation>Bajar el criterio seleccionado</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>Criterio</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Escala</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Paso</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>Criteria</source>
        <translation>Criterios</translation>
    </message>
    <message>
        <source>Remove criterion</source>
        <translation>Eliminar criterio</translation>
    </message>
    <message>
        <source>Remove {v0}? Scores already given for it stop counting.</source>
        <translation>¿Eliminar {v0}? Las puntuaciones ya dadas en él dejarán de contar.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Función</translation>
    </message>
    <message>
        <source>For</source>
        <translation>De</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Unsent</source>
        <translation>Sin enviar</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Última vez</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Reloj</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Dispositivos</translation>
    </message>
    <message>
        <source>Every laptop and screen that has joined. Unsent is what a device held back when it last connected; clock is its offset from this machine.</source>
        <translation>Todos los portátiles y pantallas que se han unido. «Sin enviar» es lo que un dispositivo tenía pendiente en su última conexión; «reloj» es su desfase respecto a este equipo.</translation>
    </message>
    <message>
        <source>Paired devices</source>
        <translation>Dispositivos emparejados</translation>
    </message>
    <message>
        <source>No device has joined yet. Hand out join codes from the Codes page.</source>
        <translation>Aún no se ha unido ningún dispositivo. Reparta códigos de acceso desde la página Códigos.</translation>
    </message>
    <message>
        <source>Device summary</source>
        <translation>Resumen de dispositivos</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Revocado</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Revocar…</translation>
    </message>
    <message>
        <source>Revoke {label} ({subject_name})</source>
        <translation>Revocar {label} ({subject_name})</translation>
    </message>
    <message>
        <source>Revoke device</source>
        <translation>Revocar dispositivo</translation>
    </message>
    <message>
        <source>Revoke {label} ({v1}, {subject_name})? It is disconnected at once and can never rejoin with this device. Its join code still works: remove or re-create the judge or team if the person should not come back.</source>
        <translation>¿Revocar {label} ({v1}, {subject_name})? Se desconecta al instante y nunca podrá volver a unirse con este dispositivo. Su código de acceso sigue valiendo: elimine o vuelva a crear el juez o el equipo si esa persona no debe volver.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Revocar</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Edit criterion</source>
        <translation>Editar criterio</translation>
    </message>
    <message>
        <source>Criterion name</source>
        <translation>Nombre del criterio</translation>
    </message>
    <message>
        <source>e.g. Innovation</source>
        <translation>p. ej. Innovación</translation>
    </message>
    <message>
        <source>Criterion description</source>
        <translation>Descripción del criterio</translation>
    </message>
    <message>
        <source>What judges should look for (optional)</source>
        <translation>Qué deben valorar los jueces (opcional)</translation>
    </message>
    <message>
        <source>Lowest score</source>
        <translation>Puntuación mínima</translation>
    </message>
    <message>
        <source>Highest score</source>
        <translation>Puntuación máxima</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>in steps of</source>
        <translation>en pasos de</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Edit team</source>
        <translation>Editar equipo</translation>
    </message>
    <message>
        <source>Add a team</source>
        <translation>Añadir un equipo</translation>
    </message>
    <message>
        <source>Team name</source>
        <translation>Nombre del equipo</translation>
    </message>
    <message>
        <source>Team location</source>
        <translation>Ubicación del equipo</translation>
    </message>
    <message>
        <source>e.g. Table 12</source>
        <translation>p. ej. Mesa 12</translation>
    </message>
    <message>
        <source>Team members</source>
        <translation>Miembros del equipo</translation>
    </message>
    <message>
        <source>One name a line</source>
        <translation>Un nombre por línea</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Miembros</translation>
    </message>
    <message>
        <source>Edit judge</source>
        <translation>Editar juez</translation>
    </message>
    <message>
        <source>Add a judge</source>
        <translation>Añadir un juez</translation>
    </message>
    <message>
        <source>Judge name</source>
        <translation>Nombre del juez</translation>
    </message>
    <message>
        <source>Conflicts of interest</source>
        <translation>Conflictos de intereses</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <source>Tick the teams this judge must not score.</source>
        <translation>Marque los equipos que este juez no debe puntuar.</translation>
    </message>
    <message>
        <source>Import teams</source>
        <translation>Importar equipos</translation>
    </message>
    <message>
        <source>Import teams from {source}</source>
        <translation>Importar equipos de {source}</translation>
    </message>
    <message>
        <source>Import summary</source>
        <translation>Resumen de la importación</translation>
    </message>
    <message>
        <source>Columns used: {used}</source>
        <translation>Columnas usadas: {used}</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Línea</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Equipo</translation>
    </message>
    <message>
        <source>Rows to import</source>
        <translation>Filas por importar</translation>
    </message>
    <message>
        <source>Import the valid rows</source>
        <translation>Importar las filas válidas</translation>
    </message>
    <message>
        <source>Cancel the import</source>
        <translation>Cancelar la importación</translation>
    </message>
    <message>
        <source>Auto-assign judges</source>
        <translation>Asignar jueces automáticamente</translation>
    </message>
    <message>
        <source>Each team gets k judges who have no conflict with it, and every judge gets as even a share of the teams as the conflicts allow.</source>
        <translation>Cada equipo recibe k jueces sin conflicto con él, y cada juez recibe un reparto de equipos tan equilibrado como permitan los conflictos.</translation>
    </message>
    <message>
        <source>Judges per team</source>
        <translation>Jueces por equipo</translation>
    </message>
    <message>
        <source>Keep current assignments and add to them</source>
        <translation>Conservar las asignaciones actuales y añadir otras</translation>
    </message>
    <message>
        <source>Keep current assignments</source>
        <translation>Conservar las asignaciones actuales</translation>
    </message>
    <message>
        <source>Assignment preview</source>
        <translation>Vista previa de la asignación</translation>
    </message>
    <message>
        <source>Assignment warnings</source>
        <translation>Avisos de la asignación</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <source>Apply the assignment</source>
        <translation>Aplicar la asignación</translation>
    </message>
    <message>
        <source>Cancel auto-assign</source>
        <translation>Cancelar la asignación automática</translation>
    </message>
    <message>
        <source>Add judge</source>
        <translation>Añadir juez</translation>
    </message>
    <message>
        <source>Edit the selected judge</source>
        <translation>Editar el juez seleccionado</translation>
    </message>
    <message>
        <source>Remove the selected judge</source>
        <translation>Eliminar el juez seleccionado</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>Juez</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Asignados</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id.</translation>
    </message>
    <message>
        <source>Remove judge</source>
        <translation>Eliminar juez</translation>
    </message>
    <message>
        <source>Remove {v0}? Their sheets stop counting and their join code stops working.</source>
        <translation>¿Eliminar a {v0}? Sus hojas dejarán de contar y su código de acceso dejará de funcionar.</translation>
    </message>
    <message>
        <source>Final sheets</source>
        <translation>Hojas definitivas</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>The live results as the host holds them now.</source>
        <translation>Los resultados en directo tal como los tiene ahora el servidor.</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Ranked by total; teams without a final sheet last.</source>
        <translation>Ordenados por total; los equipos sin hoja definitiva, al final.</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Judge progress</source>
        <translation>Progreso de los jueces</translation>
    </message>
    <message>
        <source>Final sheets of the teams each may score.</source>
        <translation>Hojas definitivas de los equipos que puede puntuar cada uno.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hechas</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>Borradores</translation>
    </message>
    <message>
        <source>Send a notification</source>
        <translation>Enviar un aviso</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>Enviar a</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Destinatario</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Para</translation>
    </message>
    <message>
        <source>Notification message</source>
        <translation>Mensaje del aviso</translation>
    </message>
    <message>
        <source>e.g. Lunch is served in the atrium</source>
        <translation>p. ej. La comida está servida en el vestíbulo</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send the notification</source>
        <translation>Enviar el aviso</translation>
    </message>
    <message>
        <source>Recently sent</source>
        <translation>Enviados recientemente</translation>
    </message>
    <message>
        <source>Recent notifications</source>
        <translation>Avisos recientes</translation>
    </message>
    <message>
        <source>{final} of {expected}</source>
        <translation>{final} de {expected}</translation>
    </message>
    <message>
        <source>{name}: {final} of {expected} final</source>
        <translation>{name}: {final} de {expected} definitivas</translation>
    </message>
    <message>
        <source>{name}: final sheets</source>
        <translation>{name}: hojas definitivas</translation>
    </message>
    <message>
        <source>Type a message first.</source>
        <translation>Escriba primero un mensaje.</translation>
    </message>
    <message>
        <source>Select a criterion first.</source>
        <translation>Seleccione primero un criterio.</translation>
    </message>
    <message>
        <source>Select a team first.</source>
        <translation>Seleccione primero un equipo.</translation>
    </message>
    <message>
        <source>Select a judge first.</source>
        <translation>Seleccione primero un juez.</translation>
    </message>
    <message>
        <source>Select a row first.</source>
        <translation>Seleccione primero una fila.</translation>
    </message>
    <message>
        <source>← Back</source>
        <translation>← Atrás</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>Atrás (Alt+Izquierda)</translation>
    </message>
    <message>
        <source>Event setup</source>
        <translation>Preparación del evento</translation>
    </message>
    <message>
        <source>Setup sections</source>
        <translation>Secciones de la preparación</translation>
    </message>
    <message>
        <source>Add team</source>
        <translation>Añadir equipo</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>Importar CSV…</translation>
    </message>
    <message>
        <source>Import teams from a CSV file</source>
        <translation>Importar equipos de un archivo CSV</translation>
    </message>
    <message>
        <source>Edit the selected team</source>
        <translation>Editar el equipo seleccionado</translation>
    </message>
    <message>
        <source>Remove the selected team</source>
        <translation>Eliminar el equipo seleccionado</translation>
    </message>
    <message>
        <source>Remove team</source>
        <translation>Eliminar equipo</translation>
    </message>
    <message>
        <source>Remove {v0}? It leaves the leaderboard and its join code stops working.</source>
        <translation>¿Eliminar {v0}? Sale de la clasificación y su código de acceso deja de funcionar.</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>Archivos CSV (*.csv *.txt);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Páginas</translation>
    </message>
    <message>
        <source>{title} (Ctrl+{number})</source>
        <translation>{title} (Ctrl+{number})</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>Último mensaje</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation>Exportar resultados…</translation>
    </message>
    <message>
        <source>Write the results table as CSV</source>
        <translation>Guardar la tabla de resultados como CSV</translation>
    </message>
    <message>
        <source>Export event…</source>
        <translation>Exportar evento…</translation>
    </message>
    <message>
        <source>Write the whole event as JSON</source>
        <translation>Guardar todo el evento como JSON</translation>
    </message>
    <message>
        <source>Copy the live database to a file</source>
        <translation>Copiar la base de datos en uso a un archivo</translation>
    </message>
    <message>
        <source>Rebuild host from a judge's replica…</source>
        <translation>Reconstruir el servidor desde la réplica de un juez…</translation>
    </message>
    <message>
        <source>The host laptop is lost: rebuild the event from a judge laptop's database</source>
        <translation>Se ha perdido el portátil del servidor: reconstruya el evento desde la base de datos del portátil de un juez</translation>
    </message>
    <message>
        <source>Host address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <source>Display mode</source>
        <translation>Modo de pantalla</translation>
    </message>
    <message>
        <source>Devices online</source>
        <translation>Dispositivos en línea</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation>Descartar el mensaje</translation>
    </message>
    <message>
        <source>{v0} — Tallyboard host</source>
        <translation>{v0} — Servidor Tallyboard</translation>
    </message>
    <message>
        <source>Display: {mode}</source>
        <translation>Pantalla: {mode}</translation>
    </message>
    <message>
        <source>{code} may pair one more device now ({limit} in all).</source>
        <translation>{code} puede emparejar ahora un dispositivo más ({limit} en total).</translation>
    </message>
    <message>
        <source>{code} may pair {v1}.</source>
        <translation>{code} puede emparejar {v1}.</translation>
    </message>
    <message>
        <source>● 1 device online</source>
        <translation>● 1 dispositivo en línea</translation>
    </message>
    <message>
        <source>● {online} devices online</source>
        <translation>● {online} dispositivos en línea</translation>
    </message>
    <message>
        <source>1 assignment change saved.</source>
        <translation>1 cambio de asignación guardado.</translation>
    </message>
    <message>
        <source>{saved} assignment changes saved.</source>
        <translation>{saved} cambios de asignación guardados.</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>Exportar resultados</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Archivos JSON (*.json)</translation>
    </message>
    <message>
        <source>Export event</source>
        <translation>Exportar evento</translation>
    </message>
    <message>
        <source>Back up database</source>
        <translation>Copia de seguridad de la base de datos</translation>
    </message>
    <message>
        <source>Databases (*.db)</source>
        <translation>Bases de datos (*.db)</translation>
    </message>
    <message>
        <source>Serving at {where} ({security})</source>
        <translation>Sirviendo en {where} ({security})</translation>
    </message>
    <message>
        <source>Not serving</source>
        <translation>Sin servir</translation>
    </message>
    <message>
        <source>no TLS</source>
        <translation>sin TLS</translation>
    </message>
    <message>
        <source>Codes</source>
        <translation>Códigos</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Actividad</translation>
    </message>
    <message>
        <source>Refused: {v0}.</source>
        <translation>Rechazado: {v0}.</translation>
    </message>
    <message>
        <source>Event renamed.</source>
        <translation>Evento renombrado.</translation>
    </message>
    <message>
        <source>Notification sent to {who}.</source>
        <translation>Aviso enviado a {who}.</translation>
    </message>
    <message>
        <source>{label} revoked.</source>
        <translation>{label} revocado.</translation>
    </message>
    <message>
        <source>Cannot import {name}: {exc}</source>
        <translation>No se puede importar {name}: {exc}</translation>
    </message>
    <message>
        <source>Importing {v0} teams…</source>
        <translation>Importando {v0} equipos…</translation>
    </message>
    <message>
        <source>Saving {v0} assignments…</source>
        <translation>Guardando {v0} asignaciones…</translation>
    </message>
    <message>
        <source>Exporting to {name}…</source>
        <translation>Exportando a {name}…</translation>
    </message>
    <message>
        <source>Cannot write {path}: {v1}.</source>
        <translation>No se puede escribir {path}: {v1}.</translation>
    </message>
    <message>
        <source>Exported {v0} to {path}</source>
        <translation>Exportado {v0} a {path}</translation>
    </message>
    <message>
        <source>Exported to {name}.</source>
        <translation>Exportado a {name}.</translation>
    </message>
    <message>
        <source>Backed up to {path}</source>
        <translation>Copia guardada en {path}</translation>
    </message>
    <message>
        <source>Database backed up to {name}.</source>
        <translation>Copia de la base de datos guardada en {name}.</translation>
    </message>
    <message>
        <source>Rebuild the host from a judge's replica</source>
        <translation>Reconstruir el servidor desde la réplica de un juez</translation>
    </message>
    <message>
        <source>Databases (*.db);;All files (*)</source>
        <translation>Bases de datos (*.db);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Save the rebuilt host's database as</source>
        <translation>Guardar la base de datos del servidor reconstruido como</translation>
    </message>
    <message>
        <source>Cannot rebuild the host: {exc}</source>
        <translation>No se puede reconstruir el servidor: {exc}</translation>
    </message>
    <message>
        <source>Rebuilt host saved to {name}.</source>
        <translation>Servidor reconstruido guardado en {name}.</translation>
    </message>
    <message>
        <source>Host rebuilt</source>
        <translation>Servidor reconstruido</translation>
    </message>
    <message>
        <source>Serve the rebuilt host</source>
        <translation>Servir el servidor reconstruido</translation>
    </message>
    <message>
        <source>Rebuilt host saved to {target}; serve it with `main.py host --db {target}`</source>
        <translation>Servidor reconstruido guardado en {target}; sírvalo con `main.py host --db {target}`</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Preparación</translation>
    </message>
    <message>
        <source>Build the event. Judges can connect, but cannot score yet.</source>
        <translation>Prepare el evento. Los jueces pueden conectarse, pero aún no puntuar.</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <source>Judges score their teams. Criteria can still be corrected.</source>
        <translation>Los jueces puntúan a sus equipos. Los criterios aún pueden corregirse.</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Bloqueado</translation>
    </message>
    <message>
        <source>Scores are frozen: nothing that changes the results can change.</source>
        <translation>Las puntuaciones están congeladas: no puede cambiar nada que altere los resultados.</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Publicado</translation>
    </message>
    <message>
        <source>Teams see the leaderboard and their own scores and comments.</source>
        <translation>Los equipos ven la clasificación y sus propias puntuaciones y comentarios.</translation>
    </message>
    <message>
        <source>Back to setup</source>
        <translation>Volver a preparación</translation>
    </message>
    <message>
        <source>The event is back in setup.</source>
        <translation>El evento ha vuelto a preparación.</translation>
    </message>
    <message>
        <source>Open scoring</source>
        <translation>Abrir la puntuación</translation>
    </message>
    <message>
        <source>Scoring is open.</source>
        <translation>La puntuación está abierta.</translation>
    </message>
    <message>
        <source>Lock scoring</source>
        <translation>Bloquear la puntuación</translation>
    </message>
    <message>
        <source>Scoring is locked.</source>
        <translation>La puntuación está bloqueada.</translation>
    </message>
    <message>
        <source>Release results</source>
        <translation>Publicar los resultados</translation>
    </message>
    <message>
        <source>The results are released.</source>
        <translation>Los resultados están publicados.</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En directo</translation>
    </message>
    <message>
        <source>The full leaderboard, updated as sheets arrive.</source>
        <translation>La clasificación completa, actualizada según llegan las hojas.</translation>
    </message>
    <message>
        <source>Judging in progress</source>
        <translation>Evaluación en curso</translation>
    </message>
    <message>
        <source>Team names and how many judges have scored them.</source>
        <translation>Los nombres de los equipos y cuántos jueces los han puntuado.</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>Congelada</translation>
    </message>
    <message>
        <source>The board as it is now, until you pick another mode.</source>
        <translation>El marcador tal como está ahora, hasta que elija otro modo.</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>Revelar</translation>
    </message>
    <message>
        <source>Only the places revealed so far, from last place up.</source>
        <translation>Solo los puestos revelados hasta ahora, desde el último hacia arriba.</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Pantalla</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Everybody</source>
        <translation>Todos</translation>
    </message>
    <message>
        <source>All judges</source>
        <translation>Todos los jueces</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>Todos los equipos</translation>
    </message>
    <message>
        <source>One judge</source>
        <translation>Un juez</translation>
    </message>
    <message>
        <source>One team</source>
        <translation>Un equipo</translation>
    </message>
    <message>
        <source>Give the criterion a name.</source>
        <translation>Dé un nombre al criterio.</translation>
    </message>
    <message>
        <source>The weight must be greater than 0.</source>
        <translation>El peso debe ser mayor que 0.</translation>
    </message>
    <message>
        <source>The lowest score must be below the highest.</source>
        <translation>La puntuación mínima debe ser menor que la máxima.</translation>
    </message>
    <message>
        <source>The step must be greater than 0 and at most the range of the scale.</source>
        <translation>El paso debe ser mayor que 0 y no superar el rango de la escala.</translation>
    </message>
    <message>
        <source>1 team</source>
        <translation>1 equipo</translation>
    </message>
    <message>
        <source>{count} teams</source>
        <translation>{count} equipos</translation>
    </message>
    <message>
        <source>{low}–{high} teams</source>
        <translation>{low}–{high} equipos</translation>
    </message>
    <message>
        <source>1 judge</source>
        <translation>1 juez</translation>
    </message>
    <message>
        <source>{count} judges</source>
        <translation>{count} jueces</translation>
    </message>
    <message>
        <source>{low}–{high} judges</source>
        <translation>{low}–{high} jueces</translation>
    </message>
    <message>
        <source>1 device</source>
        <translation>1 dispositivo</translation>
    </message>
    <message>
        <source>{count} devices</source>
        <translation>{count} dispositivos</translation>
    </message>
    <message>
        <source>{low}–{high} devices</source>
        <translation>{low}–{high} dispositivos</translation>
    </message>
    <message>
        <source>Nothing to assign: the event needs judges and teams first.</source>
        <translation>Nada que asignar: el evento necesita antes jueces y equipos.</translation>
    </message>
    <message>
        <source>No changes to the current assignments.</source>
        <translation>Sin cambios en las asignaciones actuales.</translation>
    </message>
    <message>
        <source>1 assignment to add, {removed} to remove.</source>
        <translation>1 asignación por añadir, {removed} por quitar.</translation>
    </message>
    <message>
        <source>{added} assignments to add, {removed} to remove.</source>
        <translation>{added} asignaciones por añadir, {removed} por quitar.</translation>
    </message>
    <message>
        <source>Each judge scores {loads}; each team gets {judges}. {changes}</source>
        <translation>Cada juez puntúa {loads}; cada equipo recibe {judges}. {changes}</translation>
    </message>
    <message>
        <source>No assignments: every judge may score every team it has no conflict with.</source>
        <translation>Sin asignaciones: cada juez puede puntuar a todos los equipos con los que no tenga conflicto.</translation>
    </message>
    <message>
        <source>{v0} assignments. Judges with a list score {v1}; teams have {v2}.</source>
        <translation>{v0} asignaciones. Los jueces con lista puntúan {v1}; los equipos tienen {v2}.</translation>
    </message>
    <message>
        <source>{text} 1 judge has no list and may score any team.</source>
        <translation>{text} 1 juez no tiene lista y puede puntuar a cualquier equipo.</translation>
    </message>
    <message>
        <source>{text} {free} judges have no list and may score any team.</source>
        <translation>{text} {free} jueces no tienen lista y pueden puntuar a cualquier equipo.</translation>
    </message>
    <message>
        <source>Setup: everything can change. Judges cannot score until you open scoring.</source>
        <translation>Preparación: todo puede cambiar. Los jueces no pueden puntuar hasta que abra la puntuación.</translation>
    </message>
    <message>
        <source>Scoring is open: criteria can be corrected but not removed; teams, judges and assignments can still change.</source>
        <translation>La puntuación está abierta: los criterios pueden corregirse pero no eliminarse; los equipos, los jueces y las asignaciones aún pueden cambiar.</translation>
    </message>
    <message>
        <source>The event is {phase}: names can be corrected, but nothing that changes the results can change. Reopen scoring on the Control page to edit more.</source>
        <translation>Fase del evento: {phase}. Los nombres pueden corregirse, pero no puede cambiar nada que altere los resultados. Vuelva a abrir la puntuación en la página Control para editar más.</translation>
    </message>
    <message>
        <source>{judge_count} of {expected}</source>
        <translation>{judge_count} de {expected}</translation>
    </message>
    <message>
        <source>No team has a final score yet: nothing to reveal.</source>
        <translation>Ningún equipo tiene aún puntuación final: nada que revelar.</translation>
    </message>
    <message>
        <source>All {ranked} places revealed.</source>
        <translation>Revelados los {ranked} puestos.</translation>
    </message>
    <message>
        <source>Nothing revealed yet; {ranked} places to go.</source>
        <translation>Aún no se ha revelado nada; quedan {ranked} puestos.</translation>
    </message>
    <message>
        <source>{shown} of {ranked} places revealed.</source>
        <translation>{shown} de {ranked} puestos revelados.</translation>
    </message>
    <message>
        <source>Lock the event? Judges can no longer save sheets, and teams, criteria and assignments can no longer change. You can reopen scoring later.</source>
        <translation>¿Bloquear el evento? Los jueces ya no podrán guardar hojas, y los equipos, los criterios y las asignaciones ya no podrán cambiar. Puede volver a abrir la puntuación más tarde.</translation>
    </message>
    <message>
        <source>Release the results? Every team sees the leaderboard and its own scores and comments at once. What they have seen cannot be taken back.</source>
        <translation>¿Publicar los resultados? Todos los equipos verán al instante la clasificación y sus propias puntuaciones y comentarios. Lo que hayan visto no se puede retirar.</translation>
    </message>
    <message>
        <source>{final} of {expected} expected final sheets are in.</source>
        <translation>Han llegado {final} de {expected} hojas finales previstas.</translation>
    </message>
    <message>
        <source>1 draft is still outstanding: it will not count.</source>
        <translation>Queda 1 borrador sin terminar: no contará.</translation>
    </message>
    <message>
        <source>{count} drafts are still outstanding: they will not count.</source>
        <translation>Quedan {count} borradores sin terminar: no contarán.</translation>
    </message>
    <message>
        <source>1 team has fewer final sheets than judges planned for it.</source>
        <translation>1 equipo tiene menos hojas finales que jueces previstos.</translation>
    </message>
    <message>
        <source>{count} teams have fewer final sheets than judges planned for them.</source>
        <translation>{count} equipos tienen menos hojas finales que jueces previstos.</translation>
    </message>
    <message>
        <source>1 device still holds work it has not sent.</source>
        <translation>1 dispositivo aún guarda trabajo que no ha enviado.</translation>
    </message>
    <message>
        <source>{count} devices still hold work they have not sent.</source>
        <translation>{count} dispositivos aún guardan trabajo que no han enviado.</translation>
    </message>
    <message>
        <source>Move the event back to {v0}? Judges can change sheets again.</source>
        <translation>¿Devolver el evento a {v0}? Los jueces podrán volver a cambiar sus hojas.</translation>
    </message>
    <message>
        <source>{subject} (removed)</source>
        <translation>{subject} (eliminado)</translation>
    </message>
    <message>
        <source>All displays</source>
        <translation>Todas las pantallas</translation>
    </message>
    <message>
        <source>Device {v0}</source>
        <translation>Dispositivo {v0}</translation>
    </message>
    <message>
        <source>{v0} online</source>
        <translation>{v0} en línea</translation>
    </message>
    <message>
        <source>{v0} offline</source>
        <translation>{v0} sin conexión</translation>
    </message>
    <message>
        <source>{count} revoked</source>
        <translation>{count} revocados</translation>
    </message>
    <message>
        <source>1 op unsent at last contact</source>
        <translation>1 operación sin enviar en el último contacto</translation>
    </message>
    <message>
        <source>{count} ops unsent at last contact</source>
        <translation>{count} operaciones sin enviar en el último contacto</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>ahora mismo</translation>
    </message>
    <message>
        <source>{seconds} s ago</source>
        <translation>hace {seconds} s</translation>
    </message>
    <message>
        <source>{v0} min ago</source>
        <translation>hace {v0} min</translation>
    </message>
    <message>
        <source>{v0} h {v1} min ago</source>
        <translation>hace {v0} h {v1} min</translation>
    </message>
    <message>
        <source>{v0} d ago</source>
        <translation>hace {v0} d</translation>
    </message>
    <message>
        <source>in sync</source>
        <translation>sincronizado</translation>
    </message>
    <message>
        <source>{sign}{v1:.1f} s</source>
        <translation>{sign}{v1:.1f} s</translation>
    </message>
    <message>
        <source>{sign}{v1} min</source>
        <translation>{sign}{v1} min</translation>
    </message>
    <message>
        <source>{sign}{v1:.1f} h</source>
        <translation>{sign}{v1:.1f} h</translation>
    </message>
    <message>
        <source>None: this host runs without TLS (--insecure)</source>
        <translation>Ninguna: este servidor funciona sin TLS (--insecure)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguno</translation>
    </message>
    <message>
        <source>Any team (no list)</source>
        <translation>Cualquier equipo (sin lista)</translation>
    </message>
    <message>
        <source>{scored} scored</source>
        <translation>{scored} puntuados</translation>
    </message>
    <message>
        <source>{started} started scoring</source>
        <translation>{started} han empezado a puntuar</translation>
    </message>
    <message>
        <source>of {expected} expected ({v1}%)</source>
        <translation>de {expected} previstas ({v1} %)</translation>
    </message>
    <message>
        <source>of {paired} paired</source>
        <translation>de {paired} emparejados</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● En línea</translation>
    </message>
    <message>
        <source>○ Offline</source>
        <translation>○ Sin conexión</translation>
    </message>
    <message>
        <source>✕ Revoked</source>
        <translation>✕ Revocado</translation>
    </message>
    <message>
        <source>Never connected</source>
        <translation>Nunca conectado</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <source>No notification sent yet.</source>
        <translation>Aún no se ha enviado ningún aviso.</translation>
    </message>
    <message>
        <source>Criteria ({v0})</source>
        <translation>Criterios ({v0})</translation>
    </message>
    <message>
        <source>Teams ({v0})</source>
        <translation>Equipos ({v0})</translation>
    </message>
    <message>
        <source>Judges ({v0})</source>
        <translation>Jueces ({v0})</translation>
    </message>
    <message>
        <source>{used} of 1 device</source>
        <translation>{used} de 1 dispositivo</translation>
    </message>
    <message>
        <source>{used} of {limit} devices</source>
        <translation>{used} de {limit} dispositivos</translation>
    </message>
    <message>
        <source>{text}, used up</source>
        <translation>{text}, agotado</translation>
    </message>
    <message>
        <source>Score distribution</source>
        <translation>Reparto de puntuaciones</translation>
    </message>
    <message>
        <source>{criterion}: {count} final sheets, mean {mean}</source>
        <translation>{criterion}: {count} hojas finales, media {mean}</translation>
    </message>
    <message>
        <source>{criterion}: no final sheet has scored it yet.</source>
        <translation>{criterion}: ninguna hoja final lo ha puntuado aún.</translation>
    </message>
    <message>
        <source>{criterion} · {count} sheets · mean {mean}</source>
        <translation>{criterion} · {count} hojas · media {mean}</translation>
    </message>
    <message>
        <source>Sheets</source>
        <translation>Hojas</translation>
    </message>
    <message>
        <source>Score given ({low} to {high})</source>
        <translation>Puntuación dada (de {low} a {high})</translation>
    </message>
    <message>
        <source>Judges' harshness</source>
        <translation>Severidad de los jueces</translation>
    </message>
    <message>
        <source>No judges yet: add them on the Setup page.</source>
        <translation>Aún no hay jueces: añádalos en la página Preparación.</translation>
    </message>
    <message>
        <source>No final sheets yet: each judge's mean appears here.</source>
        <translation>Aún no hay hojas finales: aquí aparecerá la media de cada juez.</translation>
    </message>
    <message>
        <source>Mean sheet score (0 to 100); the bar spans one standard deviation</source>
        <translation>Puntuación media de las hojas (0 a 100); la barra abarca una desviación típica</translation>
    </message>
    <message>
        <source>all sheets {mean}</source>
        <translation>todas las hojas {mean}</translation>
    </message>
    <message>
        <source>1 sheet</source>
        <translation>1 hoja</translation>
    </message>
    <message>
        <source>{count} sheets</source>
        <translation>{count} hojas</translation>
    </message>
    <message>
        <source>Sheets over time</source>
        <translation>Hojas a lo largo del tiempo</translation>
    </message>
    <message>
        <source>No final sheets yet: they are counted here as they arrive.</source>
        <translation>Aún no hay hojas finales: se cuentan aquí a medida que llegan.</translation>
    </message>
    <message>
        <source>Sheets over time: {count} final sheets</source>
        <translation>Hojas a lo largo del tiempo: {count} hojas finales</translation>
    </message>
    <message>
        <source>Time each sheet was saved</source>
        <translation>Hora en que se guardó cada hoja</translation>
    </message>
    <message>
        <source>Insights</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>How the final sheets are spread, judge by judge and over time.</source>
        <translation>Cómo se reparten las hojas finales, juez a juez y a lo largo del tiempo.</translation>
    </message>
    <message>
        <source>How often each part of a criterion's scale was given.</source>
        <translation>Cuántas veces se dio cada parte de la escala de un criterio.</translation>
    </message>
    <message>
        <source>Each judge's mean sheet score and spread; the dashed line is the mean of every sheet. Harshest first.</source>
        <translation>La puntuación media y la dispersión de cada juez; la línea discontinua es la media de todas las hojas. Primero, el más severo.</translation>
    </message>
    <message>
        <source>Final sheets saved so far, by the time each was saved.</source>
        <translation>Hojas finales guardadas hasta ahora, según la hora en que se guardó cada una.</translation>
    </message>
    <message>
        <source>No criteria yet: add them on the Setup page.</source>
        <translation>Aún no hay criterios: añádalos en la página Preparación.</translation>
    </message>
    <message>
        <source>Print the results, feedback, certificates or blank scoring sheets, or save them as PDF</source>
        <translation>Imprimir los resultados, las valoraciones, los diplomas o las hojas de puntuación en blanco, o guardarlos como PDF</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>The leaderboard: ranks, totals, judges and criterion means.</source>
        <translation>La clasificación: puestos, totales, jueces y medias por criterio.</translation>
    </message>
    <message>
        <source>Feedback for each team</source>
        <translation>Valoración de cada equipo</translation>
    </message>
    <message>
        <source>One page a team: every final sheet's scores and comments.</source>
        <translation>Una página por equipo: las puntuaciones y los comentarios de cada hoja final.</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Diplomas</translation>
    </message>
    <message>
        <source>One landscape page for each team in the first three places.</source>
        <translation>Una página apaisada para cada equipo de los tres primeros puestos.</translation>
    </message>
    <message>
        <source>Blank scoring sheets</source>
        <translation>Hojas de puntuación en blanco</translation>
    </message>
    <message>
        <source>Each judge's teams with every criterion's scale, to score on paper.</source>
        <translation>Los equipos de cada juez con la escala de cada criterio, para puntuar en papel.</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimir</translation>
    </message>
    <message>
        <source>Print or save as PDF</source>
        <translation>Imprimir o guardar como PDF</translation>
    </message>
    <message>
        <source>Feedback sheets name the judges</source>
        <translation>Las valoraciones nombran a los jueces</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Guardar como PDF…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Guardar como PDF</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Imprimir…</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 página</translation>
    </message>
    <message>
        <source>{count} pages</source>
        <translation>{count} páginas</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Nothing to print yet: {why}.</source>
        <translation>Aún no hay nada que imprimir: {why}.</translation>
    </message>
    <message>
        <source>Save {title} as PDF</source>
        <translation>Guardar {title} como PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation>Escribiendo {name}…</translation>
    </message>
    <message>
        <source>Stopped: {name} was not written.</source>
        <translation>Detenido: no se escribió {name}.</translation>
    </message>
    <message>
        <source>Cannot write {path}: {why}.</source>
        <translation>No se puede escribir {path}: {why}.</translation>
    </message>
    <message>
        <source>Saved {title} to {name}: {pages}.</source>
        <translation>{title} guardado en {name}: {pages}.</translation>
    </message>
    <message>
        <source>Printing {title}…</source>
        <translation>Imprimiendo {title}…</translation>
    </message>
    <message>
        <source>Printing stopped.</source>
        <translation>Impresión detenida.</translation>
    </message>
    <message>
        <source>Cannot print: {why}.</source>
        <translation>No se puede imprimir: {why}.</translation>
    </message>
    <message>
        <source>Sent {title} to the printer: {pages}.</source>
        <translation>{title} enviado a la impresora: {pages}.</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>Código QR</translation>
    </message>
    <message>
        <source>Show the QR code of {name}'s team page</source>
        <translation>Mostrar el código QR de la página del equipo {name}</translation>
    </message>
    <message>
        <source>QR code of {name}'s team page</source>
        <translation>Código QR de la página del equipo {name}</translation>
    </message>
    <message>
        <source>Public page, for phones</source>
        <translation>Página pública, para móviles</translation>
    </message>
    <message>
        <source>Public page address</source>
        <translation>Dirección de la página pública</translation>
    </message>
    <message>
        <source>Copy the public page address</source>
        <translation>Copiar la dirección de la página pública</translation>
    </message>
    <message>
        <source>QR code of the public page</source>
        <translation>Código QR de la página pública</translation>
    </message>
    <message>
        <source>Not serving pages</source>
        <translation>No sirve páginas</translation>
    </message>
    <message>
        <source>On stage</source>
        <translation>En escena</translation>
    </message>
    <message>
        <source>Board on stage</source>
        <translation>Tablero en escena</translation>
    </message>
    <message>
        <source>The board the reveal is on; its places start hidden</source>
        <translation>El tablero de la revelación; sus puestos empiezan ocultos</translation>
    </message>
    <message>
        <source>Next prize</source>
        <translation>Siguiente premio</translation>
    </message>
    <message>
        <source>Put the next board on stage, its places hidden</source>
        <translation>Poner en escena el siguiente tablero, con sus puestos ocultos</translation>
    </message>
    <message>
        <source>What the displays show</source>
        <translation>Lo que muestran las pantallas</translation>
    </message>
    <message>
        <source>Boards on the displays</source>
        <translation>Tableros en las pantallas</translation>
    </message>
    <message>
        <source>Tick the boards to show; several take turns, in this order (drag to reorder). Hidden prizes are never shown.</source>
        <translation>Marque los tableros que mostrar; si son varios, se turnan en este orden (arrastre para reordenar). Los premios ocultos nunca se muestran.</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Subir</translation>
    </message>
    <message>
        <source>Show this board earlier</source>
        <translation>Mostrar este tablero antes</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Bajar</translation>
    </message>
    <message>
        <source>Show this board later</source>
        <translation>Mostrar este tablero después</translation>
    </message>
    <message>
        <source>Show each board for</source>
        <translation>Mostrar cada tablero durante</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Seconds each board is shown</source>
        <translation>Segundos que se muestra cada tablero</translation>
    </message>
    <message>
        <source>Put {board} on stage, its places hidden</source>
        <translation>Poner en escena {board}, con sus puestos ocultos</translation>
    </message>
    <message>
        <source>The last board is on stage</source>
        <translation>El último tablero está en escena</translation>
    </message>
    <message>
        <source>The displays show {board}, from last place up.</source>
        <translation>Las pantallas muestran {board}, desde el último puesto hacia arriba.</translation>
    </message>
    <message>
        <source>The displays show {board}.</source>
        <translation>Las pantallas muestran {board}.</translation>
    </message>
    <message>
        <source>The displays turn through {boards}, {seconds} s each.</source>
        <translation>Las pantallas alternan {boards}, {seconds} s cada uno.</translation>
    </message>
</context>
<context>
    <name>judge</name>
    <message>
        <source>Waiting for the first leaderboard from the host…</source>
        <translation>Esperando la primera clasificación del servidor…</translation>
    </message>
    <message>
        <source>Leaderboard updated</source>
        <translation>Clasificación actualizada</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Equipo</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <source>Final sheets</source>
        <translation>Hojas definitivas</translation>
    </message>
    <message>
        <source>Live · updated {sent}</source>
        <translation>En directo · actualizada a las {sent}</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En directo</translation>
    </message>
    <message>
        <source>From the organiser</source>
        <translation>De la organización</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Avisos</translation>
    </message>
    <message>
        <source>No notifications yet. Messages from the organiser appear here.</source>
        <translation>Aún no hay avisos. Los mensajes de la organización aparecen aquí.</translation>
    </message>
    <message>
        <source>{message}, sent {when}</source>
        <translation>{message}, enviado a las {when}</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Mensaje nuevo</translation>
    </message>
    <message>
        <source>New notification</source>
        <translation>Aviso nuevo</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Dismiss notification</source>
        <translation>Descartar aviso</translation>
    </message>
    <message>
        <source>{name} scale and weight</source>
        <translation>Escala y peso de {name}</translation>
    </message>
    <message>
        <source>{name} slider</source>
        <translation>Control deslizante de {name}</translation>
    </message>
    <message>
        <source>{name} score</source>
        <translation>Puntuación de {name}</translation>
    </message>
    <message>
        <source>{scale}. Type a number (↑ ↓ step); empty means not scored.</source>
        <translation>{scale}. Escriba un número (↑ ↓ cambian de paso); vacío significa sin puntuar.</translation>
    </message>
    <message>
        <source>{name} score problem</source>
        <translation>Problema en la puntuación de {name}</translation>
    </message>
    <message>
        <source>{typed} is not on the scale {scale}: the score is {score}.</source>
        <translation>{typed} no está en la escala {scale}: la puntuación es {score}.</translation>
    </message>
    <message>
        <source>Pick a team to score</source>
        <translation>Elija un equipo para puntuar</translation>
    </message>
    <message>
        <source>Use ↑ and ↓ in the list, then Enter. Tab moves from criterion to criterion; Ctrl+Enter submits the sheet as final.</source>
        <translation>Use ↑ y ↓ en la lista y luego Intro. Tab pasa de un criterio a otro; Ctrl+Intro envía la hoja como definitiva.</translation>
    </message>
    <message>
        <source>Sheet problem</source>
        <translation>Problema de la hoja</translation>
    </message>
    <message>
        <source>Table and members</source>
        <translation>Mesa y miembros</translation>
    </message>
    <message>
        <source>Sheet status</source>
        <translation>Estado de la hoja</translation>
    </message>
    <message>
        <source>Sheet notice</source>
        <translation>Aviso de la hoja</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comentario</translation>
    </message>
    <message>
        <source>Feedback for the team; they read it once the results are released.</source>
        <translation>Comentarios para el equipo; los leerá cuando se publiquen los resultados.</translation>
    </message>
    <message>
        <source>What stood out, what would make it better…</source>
        <translation>Qué destacó, qué lo mejoraría…</translation>
    </message>
    <message>
        <source>Sent to the host</source>
        <translation>Enviado al servidor</translation>
    </message>
    <message>
        <source>Sheet score</source>
        <translation>Puntuación de la hoja</translation>
    </message>
    <message>
        <source>Next team to score</source>
        <translation>Siguiente equipo por puntuar</translation>
    </message>
    <message>
        <source>Next team</source>
        <translation>Siguiente equipo</translation>
    </message>
    <message>
        <source>Score the next team</source>
        <translation>Puntuar el siguiente equipo</translation>
    </message>
    <message>
        <source>Open the next team that has no final sheet (Ctrl+N)</source>
        <translation>Abrir el siguiente equipo sin hoja definitiva (Ctrl+N)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>Guardar borrador</translation>
    </message>
    <message>
        <source>Submit final</source>
        <translation>Enviar definitiva</translation>
    </message>
    <message>
        <source>Submit this sheet as final (Ctrl+Enter); you can revise it while scoring is open</source>
        <translation>Enviar esta hoja como definitiva (Ctrl+Intro); puede revisarla mientras la puntuación esté abierta</translation>
    </message>
    <message>
        <source>Sheet score {v0}</source>
        <translation>Puntuación de la hoja {v0}</translation>
    </message>
    <message>
        <source>waiting to send</source>
        <translation>pendiente de envío</translation>
    </message>
    <message>
        <source>Judging as</source>
        <translation>Juez</translation>
    </message>
    <message>
        <source>Event phase</source>
        <translation>Fase del evento</translation>
    </message>
    <message>
        <source>Score teams on this laptop — it keeps working without the network.</source>
        <translation>Puntúe equipos en este portátil: sigue funcionando sin red.</translation>
    </message>
    <message>
        <source>Connection progress</source>
        <translation>Progreso de la conexión</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Cargando</translation>
    </message>
    <message>
        <source>Your teams and the criteria appear as soon as they arrive.</source>
        <translation>Sus equipos y los criterios aparecerán en cuanto lleguen.</translation>
    </message>
    <message>
        <source>The organiser removed you from this event: there is nothing to score.</source>
        <translation>La organización le ha retirado de este evento: no hay nada que puntuar.</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Secciones</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <source>Your teams</source>
        <translation>Sus equipos</translation>
    </message>
    <message>
        <source>Final sheets progress</source>
        <translation>Progreso de hojas definitivas</translation>
    </message>
    <message>
        <source>Filter by team, table or status  (Ctrl+F)</source>
        <translation>Filtrar por equipo, mesa o estado  (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter teams</source>
        <translation>Filtrar equipos</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>Equipos</translation>
    </message>
    <message>
        <source>No team matches the filter.</source>
        <translation>Ningún equipo coincide con el filtro.</translation>
    </message>
    <message>
        <source>Tallyboard · Judge</source>
        <translation>Tallyboard · Juez</translation>
    </message>
    <message>
        <source>{judge_name} — Tallyboard</source>
        <translation>{judge_name} — Tallyboard</translation>
    </message>
    <message>
        <source>Tallyboard — Judge</source>
        <translation>Tallyboard — Juez</translation>
    </message>
    <message>
        <source>Notifications ({unread} new)</source>
        <translation>Avisos ({unread} sin leer)</translation>
    </message>
    <message>
        <source>The host refused: {last_error}</source>
        <translation>El servidor lo rechazó: {last_error}</translation>
    </message>
    <message>
        <source>Connecting to {host}…</source>
        <translation>Conectando con {host}…</translation>
    </message>
    <message>
        <source>Looking for the host…</source>
        <translation>Buscando el servidor…</translation>
    </message>
    <message>
        <source>Cannot reach the host ({last_error}). Still trying; check the address.</source>
        <translation>No se puede contactar con el servidor ({last_error}). Se sigue intentando; compruebe la dirección.</translation>
    </message>
    <message>
        <source>The host is not reachable right now ({v0}).</source>
        <translation>El servidor no está accesible ahora mismo ({v0}).</translation>
    </message>
    <message>
        <source>Enter the join code the organiser gave you.</source>
        <translation>Introduzca el código de acceso que le dio la organización.</translation>
    </message>
    <message>
        <source>Connecting to {target}…</source>
        <translation>Conectando con {target}…</translation>
    </message>
    <message>
        <source>Your sheet for {name} has changes that are not saved.</source>
        <translation>Su hoja de {name} tiene cambios sin guardar.</translation>
    </message>
    <message>
        <source>Save them as a draft on this laptop, or discard them?</source>
        <translation>¿Guardarlos como borrador en este portátil o descartarlos?</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>No guardada: {error}</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sin empezar</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Borrador</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>Definitiva</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazada</translation>
    </message>
    <message>
        <source>Conflict of interest</source>
        <translation>Conflicto de intereses</translation>
    </message>
    <message>
        <source>Saved on this laptop · waiting to send</source>
        <translation>Guardada en este portátil · pendiente de envío</translation>
    </message>
    <message>
        <source>Accepted by the host</source>
        <translation>Aceptada por el servidor</translation>
    </message>
    <message>
        <source>Getting the event from the host…</source>
        <translation>Recibiendo el evento del servidor…</translation>
    </message>
    <message>
        <source>conflict of interest</source>
        <translation>conflicto de intereses</translation>
    </message>
    <message>
        <source>Judging as {judge} · {event}</source>
        <translation>Juez: {judge} · {event}</translation>
    </message>
    <message>
        <source>{done} of {total} final</source>
        <translation>{done} de {total} definitivas</translation>
    </message>
    <message>
        <source>Every team you may score has a final sheet.</source>
        <translation>Todos los equipos que puede puntuar tienen hoja definitiva.</translation>
    </message>
    <message>
        <source>Submitted. Press Enter to score {team} next (Ctrl+N at any time).</source>
        <translation>Enviada. Pulse Intro para puntuar ahora a {team} (Ctrl+N en cualquier momento).</translation>
    </message>
    <message>
        <source>Scoring not open yet</source>
        <translation>Puntuación aún no abierta</translation>
    </message>
    <message>
        <source>Scoring open</source>
        <translation>Puntuación abierta</translation>
    </message>
    <message>
        <source>Scoring locked</source>
        <translation>Puntuación bloqueada</translation>
    </message>
    <message>
        <source>Results released</source>
        <translation>Resultados publicados</translation>
    </message>
    <message>
        <source>Scoring is closed — it has not opened yet. You can read your teams; sheets open when it starts.</source>
        <translation>La puntuación está cerrada: aún no se ha abierto. Puede consultar sus equipos; las hojas se abren cuando empiece.</translation>
    </message>
    <message>
        <source>Scoring is closed — the organiser has locked the results. Sheets are read-only.</source>
        <translation>La puntuación está cerrada: la organización ha bloqueado los resultados. Las hojas son de solo lectura.</translation>
    </message>
    <message>
        <source>Scoring is closed — the results have been released. Sheets are read-only.</source>
        <translation>La puntuación está cerrada: los resultados se han publicado. Las hojas son de solo lectura.</translation>
    </message>
    <message>
        <source>Scoring is closed — sheets are read-only.</source>
        <translation>La puntuación está cerrada: las hojas son de solo lectura.</translation>
    </message>
    <message>
        <source>Rejected: {reason}</source>
        <translation>Rechazada: {reason}</translation>
    </message>
    <message>
        <source>Not scored yet</source>
        <translation>Aún sin puntuar</translation>
    </message>
    <message>
        <source>scoring was closed</source>
        <translation>la puntuación estaba cerrada</translation>
    </message>
    <message>
        <source>a score is off the scale</source>
        <translation>una puntuación está fuera de escala</translation>
    </message>
    <message>
        <source>not yours to score</source>
        <translation>no le corresponde puntuarlo</translation>
    </message>
    <message>
        <source>team removed</source>
        <translation>equipo eliminado</translation>
    </message>
    <message>
        <source>criterion removed</source>
        <translation>criterio eliminado</translation>
    </message>
    <message>
        <source>sheet incomplete</source>
        <translation>hoja incompleta</translation>
    </message>
    <message>
        <source>laptop clock is wrong</source>
        <translation>el reloj del portátil está mal</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rechazada</translation>
    </message>
    <message>
        <source>{low} to {high}, step {step}</source>
        <translation>de {low} a {high}, paso {step}</translation>
    </message>
    <message>
        <source>{low}–{high}, step {step}</source>
        <translation>{low}–{high}, paso {step}</translation>
    </message>
    <message>
        <source>weight {weight} ({share:.0f}%)</source>
        <translation>peso {weight} ({share:.0f} %)</translation>
    </message>
    <message>
        <source>{name} takes {scale}; {shown} is not one of them.</source>
        <translation>{name} admite {scale}; {shown} no es uno de esos valores.</translation>
    </message>
    <message>
        <source>Score every criterion before submitting: {names}.</source>
        <translation>Puntúe todos los criterios antes de enviar: {names}.</translation>
    </message>
    <message>
        <source>voided by the organiser: {reason}</source>
        <translation>anulada por la organización: {reason}</translation>
    </message>
    <message>
        <source>reopened for you: {reason}</source>
        <translation>reabierta para usted: {reason}</translation>
    </message>
    <message>
        <source>The organiser reopened this sheet for you: {reason}. Correct it and submit it final; it is then locked again.</source>
        <translation>La organización ha reabierto esta hoja para usted: {reason}. Corríjala y envíela como definitiva; después se bloquea de nuevo.</translation>
    </message>
    <message>
        <source>voided by the organiser</source>
        <translation>anulada por la organización</translation>
    </message>
    <message>
        <source>reopened for you</source>
        <translation>reabierta para usted</translation>
    </message>
    <message>
        <source>Voided by the organiser: {reason}. This sheet counts on no board.</source>
        <translation>Anulada por la organización: {reason}. Esta hoja no cuenta en ninguna clasificación.</translation>
    </message>
    <message>
        <source>Entered by the organiser from your paper sheet: {reason}</source>
        <translation>Introducida por la organización desde su hoja en papel: {reason}</translation>
    </message>
    <message>
        <source>Needs update</source>
        <translation>Por actualizar</translation>
    </message>
    <message>
        <source>1 sheet needs an update: {criteria} was added</source>
        <translation>1 hoja necesita actualizarse: se añadió {criteria}</translation>
    </message>
    <message>
        <source>1 sheet needs an update: {criteria} were added</source>
        <translation>1 hoja necesita actualizarse: se añadieron {criteria}</translation>
    </message>
    <message>
        <source>{count} sheets need an update: {criteria} was added</source>
        <translation>{count} hojas necesitan actualizarse: se añadió {criteria}</translation>
    </message>
    <message>
        <source>{count} sheets need an update: {criteria} were added</source>
        <translation>{count} hojas necesitan actualizarse: se añadieron {criteria}</translation>
    </message>
    <message>
        <source>This final sheet has no score for {criteria}, added since you saved it. It still counts on the criteria it has; score the missing ones and submit it again.</source>
        <translation>Esta hoja definitiva no puntúa {criteria}, añadido después de guardarla. Sigue contando con los criterios que tiene; puntúe los que faltan y vuelva a enviarla.</translation>
    </message>
    <message>
        <source>This final sheet has no score for {criteria}, added since you saved it. It counts on the criteria it has.</source>
        <translation>Esta hoja definitiva no puntúa {criteria}, añadido después de guardarla. Cuenta con los criterios que tiene.</translation>
    </message>
    <message>
        <source>{round} criteria</source>
        <translation>Criterios de {round}</translation>
    </message>
    <message>
        <source>Sponsored by {sponsor} · scored for this prize only</source>
        <translation>Patrocinado por {sponsor} · solo cuenta para este premio</translation>
    </message>
    <message>
        <source>Scored for this prize only</source>
        <translation>Solo cuenta para este premio</translation>
    </message>
    <message>
        <source>Also count for {prizes}</source>
        <translation>También cuentan para {prizes}</translation>
    </message>
    <message>
        <source>{round} · {phase}</source>
        <translation>{round} · {phase}</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Scored for: {prizes}</source>
        <translation>Se puntúa para: {prizes}</translation>
    </message>
    <message>
        <source>Criteria group</source>
        <translation>Grupo de criterios</translation>
    </message>
    <message>
        <source>Sheets that need an update</source>
        <translation>Hojas que necesitan actualizarse</translation>
    </message>
    <message>
        <source>Show them first</source>
        <translation>Mostrarlas primero</translation>
    </message>
    <message>
        <source>Show the sheets that need an update</source>
        <translation>Mostrar las hojas que necesitan actualizarse</translation>
    </message>
    <message>
        <source>Dismiss the update notice</source>
        <translation>Descartar el aviso de actualización</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>Ronda</translation>
    </message>
    <message>
        <source>The round whose sheets you see and score</source>
        <translation>La ronda cuyas hojas ve y puntúa</translation>
    </message>
    <message>
        <source>Needs update first</source>
        <translation>Por actualizar primero</translation>
    </message>
    <message>
        <source>List the sheets that need an update first</source>
        <translation>Listar primero las hojas por actualizar</translation>
    </message>
    <message>
        <source>1 sheet needs an update: no score yet for {criteria}</source>
        <translation>1 hoja necesita actualizarse: aún no puntúa {criteria}</translation>
    </message>
    <message>
        <source>{count} sheets need an update: no score yet for {criteria}</source>
        <translation>{count} hojas necesitan actualizarse: aún no puntúan {criteria}</translation>
    </message>
    <message>
        <source>This final sheet has no score for {criteria}. It counts on the criteria it has; score the missing ones and submit it again.</source>
        <translation>Esta hoja definitiva no puntúa {criteria}. Cuenta con los criterios que tiene; puntúe los que faltan y vuelva a enviarla.</translation>
    </message>
    <message>
        <source>This final sheet has no score for {criteria}. It counts on the criteria it has.</source>
        <translation>Esta hoja definitiva no puntúa {criteria}. Cuenta con los criterios que tiene.</translation>
    </message>
    <message>
        <source>No team of yours in {round} yet: its teams appear once the organiser picks them.</source>
        <translation>Aún no tiene equipos en {round}: aparecen cuando la organización los elija.</translation>
    </message>
    <message>
        <source>No team in this round</source>
        <translation>Ningún equipo en esta ronda</translation>
    </message>
    <message>
        <source>Not on this final sheet yet</source>
        <translation>Aún no está en esta hoja definitiva</translation>
    </message>
    <message>
        <source>{name} missing</source>
        <translation>Falta {name}</translation>
    </message>
    <message>
        <source>{round} · Overall</source>
        <translation>{round} · General</translation>
    </message>
    <message>
        <source>{round} · {prize} ({sponsor})</source>
        <translation>{round} · {prize} ({sponsor})</translation>
    </message>
    <message>
        <source>{round} · {prize}</source>
        <translation>{round} · {prize}</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Which board to show: a round's or a prize's</source>
        <translation>Qué clasificación mostrar: la de una ronda o la de un premio</translation>
    </message>
    <message>
        <source>Leaderboard: {board}</source>
        <translation>Clasificación: {board}</translation>
    </message>
</context>
<context>
    <name>peer_window</name>
    <message>
        <source>Tallyboard — Judge</source>
        <translation>Tallyboard — Juez</translation>
    </message>
    <message>
        <source>Tallyboard — Team</source>
        <translation>Tallyboard — Equipo</translation>
    </message>
    <message>
        <source>Tallyboard — Display</source>
        <translation>Tallyboard — Pantalla</translation>
    </message>
    <message>
        <source>a judge</source>
        <translation>juez</translation>
    </message>
    <message>
        <source>team</source>
        <translation>equipo</translation>
    </message>
    <message>
        <source>display</source>
        <translation>pantalla</translation>
    </message>
</context>
<context>
    <name>team</name>
    <message>
        <source>Your team</source>
        <translation>Su equipo</translation>
    </message>
    <message>
        <source>{number}th</source>
        <translation>{number}.º</translation>
    </message>
    <message>
        <source>{number}st</source>
        <translation>{number}.º</translation>
    </message>
    <message>
        <source>{number}nd</source>
        <translation>{number}.º</translation>
    </message>
    <message>
        <source>{number}rd</source>
        <translation>{number}.º</translation>
    </message>
    <message>
        <source>Judging is complete</source>
        <translation>La evaluación ha concluido</translation>
    </message>
    <message>
        <source>The organiser has released the results: your rank, total and every score sheet are below.</source>
        <translation>La organización ha publicado los resultados: su puesto, su total y todas las hojas de puntuación están abajo.</translation>
    </message>
    <message>
        <source>How many judges have scored you, and what they gave, stays private until the organiser releases the results.</source>
        <translation>Cuántos jueces les han puntuado, y con qué notas, es privado hasta que la organización publique los resultados.</translation>
    </message>
    <message>
        <source>Judging has not started yet</source>
        <translation>La evaluación aún no ha empezado</translation>
    </message>
    <message>
        <source>Judging is under way</source>
        <translation>La evaluación está en curso</translation>
    </message>
    <message>
        <source>Judging has finished</source>
        <translation>La evaluación ha terminado</translation>
    </message>
    <message>
        <source>The scores are in. Results will be released soon.</source>
        <translation>Las puntuaciones están completas. Los resultados se publicarán en breve.</translation>
    </message>
    <message>
        <source>Waiting for the host</source>
        <translation>Esperando al servidor</translation>
    </message>
    <message>
        <source>Connect to the event's host to see how judging is going.</source>
        <translation>Conéctese al servidor del evento para ver cómo va la evaluación.</translation>
    </message>
    <message>
        <source>no scores</source>
        <translation>sin puntuaciones</translation>
    </message>
    <message>
        <source>Sheet {index}: {scores}. Comment: {comment}</source>
        <translation>Hoja {index}: {scores}. Comentario: {comment}</translation>
    </message>
    <message>
        <source>Sheet {index}: {scores}. No comment</source>
        <translation>Hoja {index}: {scores}. Sin comentario</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>Average {label}</source>
        <translation>Media de {label}</translation>
    </message>
    <message>
        <source>Join as team</source>
        <translation>Unirse como equipo</translation>
    </message>
    <message>
        <source>Judging and results</source>
        <translation>Evaluación y resultados</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Equipo</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>How judging is going</source>
        <translation>Cómo va la evaluación</translation>
    </message>
    <message>
        <source>Judging details</source>
        <translation>Detalles de la evaluación</translation>
    </message>
    <message>
        <source>Your results</source>
        <translation>Sus resultados</translation>
    </message>
    <message>
        <source>Results are not released yet</source>
        <translation>Los resultados aún no se han publicado</translation>
    </message>
    <message>
        <source>When the organiser releases them, your rank, your total and each judge's scores and comments appear here.</source>
        <translation>Cuando la organización los publique, aquí aparecerán su puesto, su total y las puntuaciones y comentarios de cada juez.</translation>
    </message>
    <message>
        <source>About the results</source>
        <translation>Sobre los resultados</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Judges</source>
        <translation>Jueces</translation>
    </message>
    <message>
        <source>Score sheets</source>
        <translation>Hojas de puntuación</translation>
    </message>
    <message>
        <source>Each sheet is one judge's scores; the judges' names are not shared.</source>
        <translation>Cada hoja son las puntuaciones de un juez; los nombres de los jueces no se muestran.</translation>
    </message>
    <message>
        <source>About the score sheets</source>
        <translation>Sobre las hojas de puntuación</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Avisos</translation>
    </message>
    <message>
        <source>Number of notifications</source>
        <translation>Número de avisos</translation>
    </message>
    <message>
        <source>Nothing yet. Messages from the organiser appear here, newest first.</source>
        <translation>Aún nada. Los mensajes de la organización aparecen aquí, los más recientes primero.</translation>
    </message>
    <message>
        <source>No notifications</source>
        <translation>Sin avisos</translation>
    </message>
    <message>
        <source>Notifications, newest first</source>
        <translation>Avisos, los más recientes primero</translation>
    </message>
    <message>
        <source>{name} details</source>
        <translation>Detalles: {name}</translation>
    </message>
    <message>
        <source>{name} — Tallyboard</source>
        <translation>{name} — Tallyboard</translation>
    </message>
    <message>
        <source>{event_name} · team page</source>
        <translation>{event_name} · página del equipo</translation>
    </message>
    <message>
        <source>Team page</source>
        <translation>Página del equipo</translation>
    </message>
    <message>
        <source>Results released</source>
        <translation>Resultados publicados</translation>
    </message>
    <message>
        <source>Results not released</source>
        <translation>Resultados sin publicar</translation>
    </message>
    <message>
        <source>of 1 team</source>
        <translation>de 1 equipo</translation>
    </message>
    <message>
        <source>of {teams} teams</source>
        <translation>de {teams} equipos</translation>
    </message>
    <message>
        <source>not ranked</source>
        <translation>sin puesto</translation>
    </message>
    <message>
        <source>mean of the final sheets</source>
        <translation>media de las hojas</translation>
    </message>
    <message>
        <source>judge scored you</source>
        <translation>le ha puntuado</translation>
    </message>
    <message>
        <source>judges scored you</source>
        <translation>les han puntuado</translation>
    </message>
    <message>
        <source>Rank: {rank} {note}</source>
        <translation>Puesto: {rank} {note}</translation>
    </message>
    <message>
        <source>Total: {total}</source>
        <translation>Total: {total}</translation>
    </message>
    <message>
        <source>Judges: {count}</source>
        <translation>Jueces: {count}</translation>
    </message>
    <message>
        <source>No score sheets received yet.</source>
        <translation>Aún no se ha recibido ninguna hoja de puntuación.</translation>
    </message>
    <message>
        <source>Sheets</source>
        <translation>Hojas</translation>
    </message>
    <message>
        <source>Scores per sheet</source>
        <translation>Puntuaciones por hoja</translation>
    </message>
    <message>
        <source>Criterion {label}</source>
        <translation>Criterio {label}</translation>
    </message>
    <message>
        <source>Sheet {index}</source>
        <translation>Hoja {index}</translation>
    </message>
    <message>
        <source>Sheet {index}, {label}</source>
        <translation>Hoja {index}, {label}</translation>
    </message>
    <message>
        <source>What the judges wrote</source>
        <translation>Lo que escribieron los jueces</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>Comentarios</translation>
    </message>
    <message>
        <source>The judges left no comments.</source>
        <translation>Los jueces no dejaron comentarios.</translation>
    </message>
    <message>
        <source>SHEET {index}</source>
        <translation>HOJA {index}</translation>
    </message>
    <message>
        <source>Sheet {index} comment</source>
        <translation>Comentario de la hoja {index}</translation>
    </message>
    <message>
        <source>to every team</source>
        <translation>a todos los equipos</translation>
    </message>
    <message>
        <source>to your team</source>
        <translation>a su equipo</translation>
    </message>
    <message>
        <source>{when} · {audience}</source>
        <translation>{when} · {audience}</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>Notification {when}</source>
        <translation>Aviso {when}</translation>
    </message>
    <message>
        <source>={place}</source>
        <translation>={place}</translation>
    </message>
    <message>
        <source>{place} of {count}, {total}</source>
        <translation>{place} de {count}, {total}</translation>
    </message>
    <message>
        <source>{board} — no result received</source>
        <translation>{board}: ningún resultado recibido</translation>
    </message>
    <message>
        <source>{board} — {place}</source>
        <translation>{board}: {place}</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Prizes</source>
        <translation>Premios</translation>
    </message>
    <message>
        <source>About the prizes</source>
        <translation>Sobre los premios</translation>
    </message>
    <message>
        <source>Score sheets · {round}</source>
        <translation>Hojas de puntuación · {round}</translation>
    </message>
    <message>
        <source>Your results · {round}</source>
        <translation>Sus resultados · {round}</translation>
    </message>
    <message>
        <source>Your place on each board the organiser has released.</source>
        <translation>Su puesto en cada clasificación que la organización ha publicado.</translation>
    </message>
    <message>
        <source>The prizes your team competes for. Your place on each appears here once the organiser releases the results.</source>
        <translation>Los premios a los que opta su equipo. Su puesto en cada uno aparece aquí cuando la organización publique los resultados.</translation>
    </message>
    <message>
        <source>Sponsored by {sponsor}</source>
        <translation>Patrocinado por {sponsor}</translation>
    </message>
    <message>
        <source>Sponsor</source>
        <translation>Patrocinador</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <source>Not connected</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Looking for the host…</source>
        <translation>Buscando el servidor…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <source>Offline — retrying</source>
        <translation>Desconectado: reintentando</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Desconectado</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>Tema oscuro</translation>
    </message>
    <message>
        <source>Switch between the light and the dark appearance</source>
        <translation>Cambiar entre la apariencia clara y la oscura</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Ampliar</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Reducir</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Tamaño real</translation>
    </message>
    <message>
        <source>{text} (the text of every window but the display)</source>
        <translation>{text} (el texto de todas las ventanas salvo la pantalla)</translation>
    </message>
    <message>
        <source>Menu bar</source>
        <translation>Barra de menús</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Ver</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>Más menús</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ayuda</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Running an event</source>
        <translation>Cómo llevar un evento</translation>
    </message>
    <message>
        <source>About Tallyboard</source>
        <translation>Acerca de Tallyboard</translation>
    </message>
    <message>
        <source>{state} · {host}</source>
        <translation>{state} · {host}</translation>
    </message>
    <message>
        <source>{state} · last contact {ago}</source>
        <translation>{state} · último contacto {ago}</translation>
    </message>
    <message>
        <source>All saved work sent</source>
        <translation>Todo lo guardado está enviado</translation>
    </message>
    <message>
        <source>1 waiting to send</source>
        <translation>1 pendiente de envío</translation>
    </message>
    <message>
        <source>{count} waiting to send</source>
        <translation>{count} pendientes de envío</translation>
    </message>
    <message>
        <source>The host's certificate changed</source>
        <translation>El certificado del servidor ha cambiado</translation>
    </message>
    <message>
        <source>The host now presents a certificate this laptop has not seen before.

That happens when the organiser rebuilt the host on another laptop, and also when someone on this network pretends to be the host. Ask the organiser to read out the certificate fingerprint from the host console (Codes page), and trust the host only if it is exactly this one:

{fingerprint}</source>
        <translation>El servidor presenta ahora un certificado que este portátil no había visto.

Esto ocurre cuando la organización reconstruye el servidor en otro portátil, y también cuando alguien en esta red se hace pasar por el servidor. Pida a la organización que lea en voz alta la huella del certificado en la consola (página Códigos) y confíe en el servidor solo si es exactamente esta:

{fingerprint}</translation>
    </message>
    <message>
        <source>Trust this host</source>
        <translation>Confiar en este servidor</translation>
    </message>
    <message>
        <source>Trust new host…</source>
        <translation>Confiar en el nuevo servidor…</translation>
    </message>
    <message>
        <source>Trust the host's new certificate</source>
        <translation>Confiar en el nuevo certificado del servidor</translation>
    </message>
    <message>
        <source>Compare the host's new certificate fingerprint with the organiser's</source>
        <translation>Comparar la huella del nuevo certificado con la que tiene la organización</translation>
    </message>
    <message>
        <source>Link state</source>
        <translation>Estado de la conexión</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Pendiente de envío</translation>
    </message>
    <message>
        <source>Clock warning</source>
        <translation>Aviso del reloj</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Último error</translation>
    </message>
    <message>
        <source>This laptop's clock is {minutes:.0f} min behind the host's</source>
        <translation>El reloj de este portátil va {minutes:.0f} min por detrás del servidor</translation>
    </message>
    <message>
        <source>This laptop's clock is {minutes:.0f} min ahead of the host's</source>
        <translation>El reloj de este portátil va {minutes:.0f} min por delante del servidor</translation>
    </message>
    <message>
        <source>Join as {role_label}</source>
        <translation>Unirse como {role_label}</translation>
    </message>
    <message>
        <source>Pick the event's host below, or type its address. Then enter the join code the organiser gave you, or paste a join link.</source>
        <translation>Elija abajo el servidor del evento o escriba su dirección. Después introduzca el código de acceso que le dio la organización, o pegue un enlace de acceso.</translation>
    </message>
    <message>
        <source>Hosts found on this network</source>
        <translation>Servidores encontrados en esta red</translation>
    </message>
    <message>
        <source>None found yet — still looking. Venue Wi-Fi may block discovery; type the address instead.</source>
        <translation>Aún no se ha encontrado ninguno; se sigue buscando. La wifi del recinto puede bloquear la búsqueda: escriba la dirección.</translation>
    </message>
    <message>
        <source>Connection problem</source>
        <translation>Problema de conexión</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.20:8765 (leave empty to use the list)</source>
        <translation>p. ej. 192.168.1.20:8765 (vacío: la lista)</translation>
    </message>
    <message>
        <source>Host address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <source>XXXX-XXXX or a tallyboard:// join link</source>
        <translation>XXXX-XXXX o un enlace tallyboard://</translation>
    </message>
    <message>
        <source>Join code</source>
        <translation>Código de acceso</translation>
    </message>
    <message>
        <source>Plain connection (the host runs with --insecure)</source>
        <translation>Sin cifrar (servidor con --insecure)</translation>
    </message>
    <message>
        <source>Plain connection without TLS</source>
        <translation>Conexión sin TLS</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <source>Connect to the host</source>
        <translation>Conectar con el servidor</translation>
    </message>
    <message>
        <source>{name} at {target}</source>
        <translation>{name} en {target}</translation>
    </message>
    <message>
        <source>A join code has 8 letters and digits, like K7QF-M2XD.</source>
        <translation>Un código de acceso tiene 8 letras y cifras, como K7QF-M2XD.</translation>
    </message>
    <message>
        <source>No host chosen: pick one in the list or type its address.</source>
        <translation>Ningún servidor elegido: elija uno de la lista o escriba su dirección.</translation>
    </message>
</context>
<context>
    <name>print</name>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>Valoraciones</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Diplomas</translation>
    </message>
    <message>
        <source>Scoring sheets</source>
        <translation>Hojas de puntuación</translation>
    </message>
    <message>
        <source>First place</source>
        <translation>Primer puesto</translation>
    </message>
    <message>
        <source>Second place</source>
        <translation>Segundo puesto</translation>
    </message>
    <message>
        <source>Third place</source>
        <translation>Tercer puesto</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>Página {page} de {pages}</translation>
    </message>
    <message>
        <source>1 final sheet</source>
        <translation>1 hoja final</translation>
    </message>
    <message>
        <source>{count} final sheets</source>
        <translation>{count} hojas finales</translation>
    </message>
    <message>
        <source>{low} to {high}, step {step}</source>
        <translation>de {low} a {high}, paso {step}</translation>
    </message>
    <message>
        <source>Overall results</source>
        <translation>Clasificación general</translation>
    </message>
    <message>
        <source>Provisional: scoring is still open, so these may change.</source>
        <translation>Provisional: la puntuación sigue abierta, así que puede cambiar.</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Equipo</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Judges</source>
        <translation>Jueces</translation>
    </message>
    <message>
        <source>Total: the mean of the team's final sheet scores (0 to 100). Judges: final sheets counted. The criterion columns are the mean score given on each. =2: a shared rank.</source>
        <translation>Total: la media de las puntuaciones de las hojas finales del equipo (0 a 100). Jueces: hojas finales contadas. Las columnas de criterios son la puntuación media dada en cada uno. =2: un puesto compartido.</translation>
    </message>
    <message>
        <source>Ranked by normalised totals: each judge's sheet scores are mapped onto the mean and spread of all the judges' before they are averaged, so a harsh or a lenient judge weighs the same.</source>
        <translation>Clasificado por totales normalizados: las puntuaciones de cada juez se llevan a la media y la dispersión de las de todos los jueces antes de promediarlas, así que un juez severo o uno generoso pesan lo mismo.</translation>
    </message>
    <message>
        <source>Total: the mean of the team's normalised sheet scores (0 to 100), which ranks; Raw: the mean of its sheet scores as given. Judges: final sheets counted. The criterion columns are the mean score given on each. =2: a shared rank.</source>
        <translation>Total: la media de las puntuaciones normalizadas de las hojas del equipo (0 a 100), que clasifica; Bruto: la media de sus puntuaciones tal como se dieron. Jueces: hojas finales contadas. Las columnas de criterios son la puntuación media dada en cada uno. =2: un puesto compartido.</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Bruto</translation>
    </message>
    <message>
        <source>A hidden prize: displays and teams do not see it.</source>
        <translation>Un premio oculto: ni las pantallas ni los equipos lo ven.</translation>
    </message>
    <message>
        <source>Placings</source>
        <translation>Clasificaciones</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Also counts for: {prizes}</source>
        <translation>También cuenta para: {prizes}</translation>
    </message>
    <message>
        <source>Sponsored by {sponsor}</source>
        <translation>Patrocinado por {sponsor}</translation>
    </message>
    <message>
        <source>Rank {rank}</source>
        <translation>Puesto {rank}</translation>
    </message>
    <message>
        <source>Total {total}</source>
        <translation>Total {total}</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>Juez</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>Hoja</translation>
    </message>
    <message>
        <source>Sheet score</source>
        <translation>Puntuación de la hoja</translation>
    </message>
    <message>
        <source>Sheet {k}</source>
        <translation>Hoja {k}</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>Puntuaciones</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>Comentarios</translation>
    </message>
    <message>
        <source>No comments were written.</source>
        <translation>No se escribió ningún comentario.</translation>
    </message>
    <message>
        <source>Scoring sheets: {judge}</source>
        <translation>Hojas de puntuación: {judge}</translation>
    </message>
    <message>
        <source>One table a team. Write each score on its criterion's scale, sign, and hand the sheets to the organiser, who enters them.</source>
        <translation>Una tabla por equipo. Escriba cada puntuación en la escala de su criterio, firme y entregue las hojas a la organización, que las introducirá.</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comentario</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>Criterio</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Escala</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <source>Signature: ____________________    Time: ________</source>
        <translation>Firma: ____________________    Hora: ________</translation>
    </message>
    <message>
        <source>{place} (shared)</source>
        <translation>{place} (compartido)</translation>
    </message>
    <message>
        <source>the overall results</source>
        <translation>la clasificación general</translation>
    </message>
    <message>
        <source>Certificate of achievement</source>
        <translation>Diploma de reconocimiento</translation>
    </message>
    <message>
        <source>is awarded to</source>
        <translation>se otorga a</translation>
    </message>
    <message>
        <source>in {board}</source>
        <translation>en {board}</translation>
    </message>
    <message>
        <source>Total {total} from {sheets}</source>
        <translation>Total {total} de {sheets}</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>Organización</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
</context>
<context>
    <name>host</name>
    <message>
        <source>Edit prize</source>
        <translation>Editar premio</translation>
    </message>
    <message>
        <source>Add a prize</source>
        <translation>Añadir un premio</translation>
    </message>
    <message>
        <source>Prize name</source>
        <translation>Nombre del premio</translation>
    </message>
    <message>
        <source>e.g. Best use of AI</source>
        <translation>p. ej. Mejor uso de IA</translation>
    </message>
    <message>
        <source>Sponsor</source>
        <translation>Patrocinador</translation>
    </message>
    <message>
        <source>Who gives it (optional)</source>
        <translation>Quién lo otorga (opcional)</translation>
    </message>
    <message>
        <source>Who competes</source>
        <translation>Quién compite</translation>
    </message>
    <message>
        <source>Who judges</source>
        <translation>Quién evalúa</translation>
    </message>
    <message>
        <source>Hidden from displays and teams</source>
        <translation>Oculto a pantallas y equipos</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Orden</translation>
    </message>
    <message>
        <source>Teams that opted in</source>
        <translation>Equipos inscritos</translation>
    </message>
    <message>
        <source>Judges listed</source>
        <translation>Jueces indicados</translation>
    </message>
    <message>
        <source>Competing</source>
        <translation>Compiten</translation>
    </message>
    <message>
        <source>Opted in</source>
        <translation>Inscritos</translation>
    </message>
    <message>
        <source>Judging</source>
        <translation>Evalúan</translation>
    </message>
    <message>
        <source>Give the prize a name.</source>
        <translation>Ponle un nombre al premio.</translation>
    </message>
    <message>
        <source>Add prize</source>
        <translation>Añadir premio</translation>
    </message>
    <message>
        <source>Edit the selected prize</source>
        <translation>Editar el premio seleccionado</translation>
    </message>
    <message>
        <source>Remove the selected prize</source>
        <translation>Quitar el premio seleccionado</translation>
    </message>
    <message>
        <source>Prize</source>
        <translation>Premio</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>Oculto</translation>
    </message>
    <message>
        <source>Prizes</source>
        <translation>Premios</translation>
    </message>
    <message>
        <source>The selected prize's own criteria</source>
        <translation>Criterios propios del premio seleccionado</translation>
    </message>
    <message>
        <source>A prize with criteria of its own ranks on them alone (a sponsor's own scale); without any it ranks on the event's.</source>
        <translation>Un premio con criterios propios clasifica solo con ellos (la escala de un patrocinador); sin ninguno, con los del evento.</translation>
    </message>
    <message>
        <source>Add a criterion to the prize</source>
        <translation>Añadir un criterio al premio</translation>
    </message>
    <message>
        <source>Edit criterion…</source>
        <translation>Editar criterio…</translation>
    </message>
    <message>
        <source>Edit the prize's criterion</source>
        <translation>Editar el criterio del premio</translation>
    </message>
    <message>
        <source>Remove the prize's criterion</source>
        <translation>Quitar el criterio del premio</translation>
    </message>
    <message>
        <source>Prize criteria</source>
        <translation>Criterios del premio</translation>
    </message>
    <message>
        <source>Remove prize</source>
        <translation>Quitar premio</translation>
    </message>
    <message>
        <source>Remove {v0}? Its board and its own criteria go with it.</source>
        <translation>¿Quitar {v0}? Su clasificación y sus criterios propios se van con él.</translation>
    </message>
    <message>
        <source>Tie-breaks, in order</source>
        <translation>Desempates, en orden</translation>
    </message>
    <message>
        <source>Move the tie-break up</source>
        <translation>Subir el desempate</translation>
    </message>
    <message>
        <source>Move the tie-break down</source>
        <translation>Bajar el desempate</translation>
    </message>
    <message>
        <source>Judge normalisation</source>
        <translation>Normalización por juez</translation>
    </message>
    <message>
        <source>Edit round</source>
        <translation>Editar ronda</translation>
    </message>
    <message>
        <source>Add a round</source>
        <translation>Añadir una ronda</translation>
    </message>
    <message>
        <source>Round name</source>
        <translation>Nombre de la ronda</translation>
    </message>
    <message>
        <source>e.g. Finals</source>
        <translation>p. ej. Final</translation>
    </message>
    <message>
        <source>Judges of the round</source>
        <translation>Jueces de la ronda</translation>
    </message>
    <message>
        <source>Finalists</source>
        <translation>Finalistas</translation>
    </message>
    <message>
        <source>How many finalists</source>
        <translation>Cuántos finalistas</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>This round's own</source>
        <translation>El de esta ronda</translation>
    </message>
    <message>
        <source>Combined with the round before</source>
        <translation>Combinado con la ronda anterior</translation>
    </message>
    <message>
        <source>Weight of the round before</source>
        <translation>Peso de la ronda anterior</translation>
    </message>
    <message>
        <source>N =</source>
        <translation>N =</translation>
    </message>
    <message>
        <source>round before:</source>
        <translation>ronda anterior:</translation>
    </message>
    <message>
        <source>Judges (none ticked: all)</source>
        <translation>Jueces (ninguno marcado: todos)</translation>
    </message>
    <message>
        <source>Normalisation</source>
        <translation>Normalización</translation>
    </message>
    <message>
        <source>Tie-breaks</source>
        <translation>Desempates</translation>
    </message>
    <message>
        <source>Give the round a name.</source>
        <translation>Ponle un nombre a la ronda.</translation>
    </message>
    <message>
        <source>Finalists of {name}</source>
        <translation>Finalistas de {name}</translation>
    </message>
    <message>
        <source>Propose</source>
        <translation>Proponer</translation>
    </message>
    <message>
        <source>Tick the teams the rule picks</source>
        <translation>Marcar los equipos que elige la regla</translation>
    </message>
    <message>
        <source>Make the ticked teams the finalists</source>
        <translation>Hacer finalistas a los equipos marcados</translation>
    </message>
    <message>
        <source>Close without changing</source>
        <translation>Cerrar sin cambiar nada</translation>
    </message>
    <message>
        <source>{count} of {total} teams ticked.</source>
        <translation>{count} de {total} equipos marcados.</translation>
    </message>
    <message>
        <source>First round</source>
        <translation>Primera ronda</translation>
    </message>
    <message>
        <source>The first round is the event itself: its criteria, teams, judges and the phase on the Control page.</source>
        <translation>La primera ronda es el propio evento: sus criterios, equipos, jueces y la fase de la página Control.</translation>
    </message>
    <message>
        <source>First round's name</source>
        <translation>Nombre de la primera ronda</translation>
    </message>
    <message>
        <source>Save first round</source>
        <translation>Guardar primera ronda</translation>
    </message>
    <message>
        <source>Save the first round's name, normalisation and tie-breaks</source>
        <translation>Guardar el nombre, la normalización y los desempates de la primera ronda</translation>
    </message>
    <message>
        <source>Add round</source>
        <translation>Añadir ronda</translation>
    </message>
    <message>
        <source>Edit the selected round</source>
        <translation>Editar la ronda seleccionada</translation>
    </message>
    <message>
        <source>Remove the selected round</source>
        <translation>Quitar la ronda seleccionada</translation>
    </message>
    <message>
        <source>Round phase</source>
        <translation>Fase de la ronda</translation>
    </message>
    <message>
        <source>Set phase</source>
        <translation>Cambiar fase</translation>
    </message>
    <message>
        <source>Move the selected round to the phase</source>
        <translation>Llevar la ronda seleccionada a esa fase</translation>
    </message>
    <message>
        <source>Finalists…</source>
        <translation>Finalistas…</translation>
    </message>
    <message>
        <source>Choose the selected round's finalists</source>
        <translation>Elegir los finalistas de la ronda seleccionada</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>Ronda</translation>
    </message>
    <message>
        <source>Later rounds</source>
        <translation>Rondas siguientes</translation>
    </message>
    <message>
        <source>Add a criterion of the round's own</source>
        <translation>Añadir un criterio propio de la ronda</translation>
    </message>
    <message>
        <source>Remove the round's criterion</source>
        <translation>Quitar el criterio de la ronda</translation>
    </message>
    <message>
        <source>Round criteria</source>
        <translation>Criterios de la ronda</translation>
    </message>
    <message>
        <source>The selected round's own criteria (none: it is scored on the event's):</source>
        <translation>Criterios propios de la ronda seleccionada (ninguno: se puntúa con los del evento):</translation>
    </message>
    <message>
        <source>Remove round</source>
        <translation>Quitar ronda</translation>
    </message>
    <message>
        <source>Remove {v0}? Its boards, finalists and own criteria go.</source>
        <translation>¿Quitar {v0}? Se van sus clasificaciones, finalistas y criterios propios.</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Board rows</source>
        <translation>Filas de la clasificación</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>Spread</source>
        <translation>Dispersión</translation>
    </message>
    <message>
        <source>Normalised</source>
        <translation>Normalizado</translation>
    </message>
    <message>
        <source>1 judge is left as scored (fewer than 2 sheets, or no spread).</source>
        <translation>1 juez queda tal como puntuó (menos de 2 hojas, o sin dispersión).</translation>
    </message>
    <message>
        <source>{count} judges are left as scored (fewer than 2 sheets, or no spread).</source>
        <translation>{count} jueces quedan tal como puntuaron (menos de 2 hojas, o sin dispersión).</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>Every round's boards: the overall board and each prize's. A shared rank shows as =2; the Tie-break column names what split equal totals.</source>
        <translation>Las clasificaciones de cada ronda: la general y la de cada premio. Un puesto compartido se muestra como =2; la columna Desempate dice qué separó totales iguales.</translation>
    </message>
    <message>
        <source>Round shown</source>
        <translation>Ronda mostrada</translation>
    </message>
    <message>
        <source>Show each judge's harshness</source>
        <translation>Mostrar la severidad de cada juez</translation>
    </message>
    <message>
        <source>Every round</source>
        <translation>Todas las rondas</translation>
    </message>
    <message>
        <source>Load event file…</source>
        <translation>Cargar archivo de evento…</translation>
    </message>
    <message>
        <source>Make the event what a JSON or TOML event file describes</source>
        <translation>Dejar el evento como lo describe un archivo JSON o TOML</translation>
    </message>
    <message>
        <source>Save event file…</source>
        <translation>Guardar archivo de evento…</translation>
    </message>
    <message>
        <source>Write the event's setup as a JSON or TOML file</source>
        <translation>Escribir la configuración del evento en un archivo JSON o TOML</translation>
    </message>
    <message>
        <source>Change a criterion</source>
        <translation>Cambiar un criterio</translation>
    </message>
    <message>
        <source>Change it</source>
        <translation>Cambiarlo</translation>
    </message>
    <message>
        <source>Not changed: nothing was sent.</source>
        <translation>Sin cambios: no se envió nada.</translation>
    </message>
    <message>
        <source>There is already a prize named {name}.</source>
        <translation>Ya hay un premio llamado {name}.</translation>
    </message>
    <message>
        <source>First round saved.</source>
        <translation>Primera ronda guardada.</translation>
    </message>
    <message>
        <source>There is already a round named {name}.</source>
        <translation>Ya hay una ronda llamada {name}.</translation>
    </message>
    <message>
        <source>{name} is now in {phase}.</source>
        <translation>{name} está ahora en {phase}.</translation>
    </message>
    <message>
        <source>{count} finalists chosen.</source>
        <translation>{count} finalistas elegidos.</translation>
    </message>
    <message>
        <source>New prizes: {count}.</source>
        <translation>Premios nuevos: {count}.</translation>
    </message>
    <message>
        <source>Load event file</source>
        <translation>Cargar archivo de evento</translation>
    </message>
    <message>
        <source>Event files (*.json *.toml);;All files (*)</source>
        <translation>Archivos de evento (*.json *.toml);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>{name} was not loaded; nothing changed:</source>
        <translation>{name} no se cargó; nada cambió:</translation>
    </message>
    <message>
        <source>{name} is the event already.</source>
        <translation>{name} ya es el evento.</translation>
    </message>
    <message>
        <source>Make {count} changes so that the event is what {name} describes? What the file leaves out is removed.</source>
        <translation>¿Hacer {count} cambios para que el evento sea lo que describe {name}? Lo que el archivo no incluye se quita.</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Cargar</translation>
    </message>
    <message>
        <source>{name} loaded: {count} changes.</source>
        <translation>{name} cargado: {count} cambios.</translation>
    </message>
    <message>
        <source>Save event file</source>
        <translation>Guardar archivo de evento</translation>
    </message>
    <message>
        <source>TOML event files (*.toml);;JSON event files (*.json)</source>
        <translation>Archivos de evento TOML (*.toml);;Archivos de evento JSON (*.json)</translation>
    </message>
    <message>
        <source>Event saved to {name}.</source>
        <translation>Evento guardado en {name}.</translation>
    </message>
    <message>
        <source>Prizes found</source>
        <translation>Premios encontrados</translation>
    </message>
    <message>
        <source>Every team</source>
        <translation>Todos los equipos</translation>
    </message>
    <message>
        <source>Every judge</source>
        <translation>Todos los jueces</translation>
    </message>
    <message>
        <source>The judges listed</source>
        <translation>Los jueces indicados</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Desactivada</translation>
    </message>
    <message>
        <source>Totals are the judges' own scores, as given to the rubric.</source>
        <translation>Los totales son las puntuaciones de los jueces, tal como las dieron según la rúbrica.</translation>
    </message>
    <message>
        <source>Shown</source>
        <translation>Mostrada</translation>
    </message>
    <message>
        <source>Each judge's scores are also put on one common scale (a harsh judge's lifted, a generous one's lowered) and shown beside the raw totals; the raw totals rank.</source>
        <translation>Las puntuaciones de cada juez se llevan además a una escala común (las de un juez severo suben, las de uno generoso bajan) y se muestran junto a los totales brutos; clasifican los brutos.</translation>
    </message>
    <message>
        <source>Ranks</source>
        <translation>Clasifica</translation>
    </message>
    <message>
        <source>Each judge's scores are put on one common scale and those totals rank the board: use it when judges saw different teams. A judge with fewer than 2 sheets or no spread is left as scored, and flagged.</source>
        <translation>Las puntuaciones de cada juez se llevan a una escala común y esos totales clasifican: úsalo cuando los jueces vieron equipos distintos. Un juez con menos de 2 hojas o sin dispersión queda tal como puntuó, y se señala.</translation>
    </message>
    <message>
        <source>More final sheets</source>
        <translation>Más hojas finales</translation>
    </message>
    <message>
        <source>Higher median sheet score</source>
        <translation>Mayor mediana de las hojas</translation>
    </message>
    <message>
        <source>Raw totals rank; normalised totals are shown beside them.</source>
        <translation>Clasifican los totales brutos; los normalizados se muestran al lado.</translation>
    </message>
    <message>
        <source>Normalised totals rank; raw totals are shown beside.</source>
        <translation>Clasifican los totales normalizados; los brutos se muestran al lado.</translation>
    </message>
    <message>
        <source>Top N overall</source>
        <translation>Los N mejores en general</translation>
    </message>
    <message>
        <source>Top N of each prize</source>
        <translation>Los N mejores de cada premio</translation>
    </message>
    <message>
        <source>Higher mean of {name}</source>
        <translation>Mayor media en {name}</translation>
    </message>
    <message>
        <source>Equal totals stay shared (1, 2, 2, 4).</source>
        <translation>Los totales iguales comparten puesto (1, 2, 2, 4).</translation>
    </message>
    <message>
        <source>, then </source>
        <translation>, luego </translation>
    </message>
    <message>
        <source>Equal totals are split by: {names}; ties left stay shared.</source>
        <translation>Los totales iguales se separan por: {names}; los empates que quedan se comparten.</translation>
    </message>
    <message>
        <source>Opted in: {count}</source>
        <translation>Inscritos: {count}</translation>
    </message>
    <message>
        <source>Listed: {count}</source>
        <translation>Indicados: {count}</translation>
    </message>
    <message>
        <source>The event's</source>
        <translation>Los del evento</translation>
    </message>
    <message>
        <source>Top {n} overall</source>
        <translation>Los {n} mejores en general</translation>
    </message>
    <message>
        <source>Top {n} of each prize</source>
        <translation>Los {n} mejores de cada premio</translation>
    </message>
    <message>
        <source>{own}% this round, {previous}% the round before</source>
        <translation>{own} % esta ronda, {previous} % la anterior</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>General</translation>
    </message>
    <message>
        <source>(by {sponsor})</source>
        <translation>(de {sponsor})</translation>
    </message>
    <message>
        <source>On {names}.</source>
        <translation>Sobre {names}.</translation>
    </message>
    <message>
        <source>{count} sheets lack one of its criteria: they count on the rest.</source>
        <translation>A {count} hojas les falta uno de sus criterios: cuentan con los demás.</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Bruto</translation>
    </message>
    <message>
        <source>Tie-break</source>
        <translation>Desempate</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>Compartido</translation>
    </message>
    <message>
        <source>No: left as scored</source>
        <translation>No: queda tal como puntuó</translation>
    </message>
    <message>
        <source>Change {name} while sheets are in?</source>
        <translation>¿Cambiar {name} con hojas ya entregadas?</translation>
    </message>
    <message>
        <source>{count} final sheets lack it: they count on the criteria they have and show as needing an update to their judges.</source>
        <translation>A {count} hojas finales les falta: cuentan con los criterios que tienen y sus jueces las ven pendientes de actualizar.</translation>
    </message>
    <message>
        <source>{count} final sheets that score it are rescored.</source>
        <translation>{count} hojas finales que lo puntúan se recalculan.</translation>
    </message>
    <message>
        <source>{count} marks fall off the new scale: they count clamped.</source>
        <translation>{count} notas quedan fuera de la nueva escala: cuentan ajustadas a ella.</translation>
    </message>
    <message>
        <source>Judges concerned: {who}.</source>
        <translation>Jueces afectados: {who}.</translation>
    </message>
    <message>
        <source>Lock {name}? Its judges can no longer save sheets, and its results can no longer change. You can reopen scoring later.</source>
        <translation>¿Bloquear {name}? Sus jueces ya no pueden guardar hojas y sus resultados ya no pueden cambiar. Puedes reabrir la puntuación más tarde.</translation>
    </message>
    <message>
        <source>Release the results of {name}? What teams and displays have seen cannot be taken back.</source>
        <translation>¿Publicar los resultados de {name}? Lo que equipos y pantallas hayan visto no se puede retirar.</translation>
    </message>
    <message>
        <source>Move {name} back to {phase}? Judges can change sheets again.</source>
        <translation>¿Devolver {name} a {phase}? Los jueces podrán cambiar hojas de nuevo.</translation>
    </message>
    <message>
        <source>The rule: rank {n} or better on the overall board of {before}.</source>
        <translation>La regla: puesto {n} o mejor en la clasificación general de {before}.</translation>
    </message>
    <message>
        <source>The rule: rank {n} or better on any board of {before}, each prize's too.</source>
        <translation>La regla: puesto {n} o mejor en cualquier clasificación de {before}, también la de cada premio.</translation>
    </message>
    <message>
        <source>Every team takes part: there is nothing to choose.</source>
        <translation>Participan todos los equipos: no hay nada que elegir.</translation>
    </message>
    <message>
        <source>New prizes (made, opt-in): {names}.</source>
        <translation>Premios nuevos (creados, con inscripción): {names}.</translation>
    </message>
    <message>
        <source>Prizes matched to the event's: {names}.</source>
        <translation>Premios emparejados con los del evento: {names}.</translation>
    </message>
    <message>
        <source>The first {shown} of {total} teams; File ▸ Export results has them all.</source>
        <translation>Los primeros {shown} de {total} equipos; Archivo ▸ Exportar resultados los tiene todos.</translation>
    </message>
    <message>
        <source>Edit the round's criterion</source>
        <translation>Editar el criterio de la ronda</translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation>Rondas</translation>
    </message>
</context>
<context>
    <name>rounds</name>
    <message>
        <source>Round 1</source>
        <translation>Ronda 1</translation>
    </message>
</context>
</TS>